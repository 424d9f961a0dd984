package dev.keyline.emulators.vault;

import java.io.IOException;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A request as Vault's HTTP layer turns it into a logical request: operation, path below
 * {@code /v1/}, the request's data fields and the client token.
 *
 * <p>Why mirror that layer: Vault decides the operation and parses the body before it looks at
 * seal state, token or route, so a malformed body is a 400 even without a token, and a
 * {@code LIST} gets a trailing slash appended to its path (which is why {@code LIST .../data/x}
 * ends up at no handler). Reproducing those steps gives the same answers in the same order.
 *
 * @param path the path below {@code /v1/}, decoded, with Vault's LIST trailing slash
 * @param fields body fields for updates and patches, query parameters otherwise
 * @param token {@code X-Vault-Token}, else an {@code Authorization: Bearer} value; may be empty
 */
record VaultRequest(
    String requestId,
    Operation operation,
    String path,
    Map<String, JsonNode> fields,
    String token) {

  private static final String MERGE_PATCH = "application/merge-patch+json";

  /** The raw field, {@code null} when absent or JSON {@code null}. */
  JsonNode field(String name) {
    JsonNode value = fields.get(name);
    return value == null || value.isNull() ? null : value;
  }

  boolean has(String name) {
    return field(name) != null;
  }

  /**
   * Builds the logical request.
   *
   * @param path the decoded path below {@code /v1/}
   * @param rawQuery the undecoded query string, may be {@code null}
   * @param headers lower-case header names to their first value
   * @throws VaultApiException with the status Vault answers for a bad method, list flag or body
   */
  static VaultRequest parse(
      String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {
    Map<String, String> query = parseQuery(rawQuery);
    Operation operation;
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    switch (method) {
      case "GET" -> {
        operation = Operation.READ;
        String list = query.remove("list");
        if (list != null && !list.isEmpty()) {
          Boolean listing = parseGoBool(list);
          if (listing == null) {
            throw new VaultApiException(VaultResponse.errors(400));
          }
          if (listing) {
            operation = Operation.LIST;
            path = withTrailingSlash(path);
          }
        }
        query.forEach((k, v) -> fields.put(k, TextNode.valueOf(v)));
      }
      case "LIST" -> {
        operation = Operation.LIST;
        path = withTrailingSlash(path);
        query.forEach((k, v) -> fields.put(k, TextNode.valueOf(v)));
      }
      case "DELETE" -> {
        operation = Operation.DELETE;
        query.forEach((k, v) -> fields.put(k, TextNode.valueOf(v)));
      }
      case "HEAD" -> {
        operation = Operation.HEADER;
        query.forEach((k, v) -> fields.put(k, TextNode.valueOf(v)));
      }
      case "POST", "PUT" -> {
        operation = Operation.UPDATE;
        fields.putAll(parseBody(body));
      }
      case "PATCH" -> {
        operation = Operation.PATCH;
        String contentType = headers.getOrDefault("content-type", "");
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.isEmpty()) {
          throw VaultApiException.badRequest("mime: no media type");
        }
        if (!mediaType.equals(MERGE_PATCH)) {
          throw new VaultApiException(
              VaultResponse.errors(
                  415,
                  "PATCH requires Content-Type of " + MERGE_PATCH + ", provided " + mediaType));
        }
        fields.putAll(parseBody(body));
      }
      default -> throw new VaultApiException(VaultResponse.errors(405));
    }
    return new VaultRequest(
        UUID.randomUUID().toString(), operation, path, fields, token(headers));
  }

  private static String token(Map<String, String> headers) {
    String token = headers.get("x-vault-token");
    if (token != null && !token.isEmpty()) {
      return token;
    }
    String authorization = headers.get("authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return "";
  }

  private static Map<String, JsonNode> parseBody(byte[] body) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
      return fields;
    }
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw VaultApiException.badRequest("error parsing JSON");
    } catch (IOException e) {
      throw VaultApiException.badRequest("error reading data");
    }
    if (parsed == null || parsed.isNull() || parsed.isMissingNode()) {
      return fields;
    }
    if (!(parsed instanceof ObjectNode object)) {
      throw VaultApiException.badRequest("error parsing JSON");
    }
    object.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
    return fields;
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.putIfAbsent(name, value);
    }
    return query;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String withTrailingSlash(String path) {
    return path.endsWith("/") ? path : path + "/";
  }

  /** Go's {@code strconv.ParseBool}; {@code null} when the text is not one of its spellings. */
  static Boolean parseGoBool(String text) {
    return switch (text) {
      case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
      case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
      default -> null;
    };
  }
}
