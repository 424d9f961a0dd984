package dev.keyline.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A bare Vault HTTP client for tests: sends exactly what it is told, parses whatever comes back.
 *
 * <p>Why not a Vault client library: the contract tests check the wire (status codes, error
 * bodies, methods like LIST); a library would hide or "fix" the very details under test.
 */
final class VaultHttp {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String address;
  private final String token;

  /**
   * @param token {@code null} sends no {@code X-Vault-Token} header
   */
  VaultHttp(String address, String token) {
    this.address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    this.token = token;
  }

  VaultHttp withToken(String otherToken) {
    return new VaultHttp(address, otherToken);
  }

  /** The answer: status, parsed body ({@link MissingNode} when empty) and the raw text. */
  record Reply(int status, JsonNode body, String raw) {
    JsonNode data() {
      return body.path("data");
    }

    String firstError() {
      return body.path("errors").path(0).asText("");
    }
  }

  Reply get(String path) {
    return send("GET", path, null, null);
  }

  Reply list(String path) {
    return send("LIST", path, null, null);
  }

  Reply delete(String path) {
    return send("DELETE", path, null, null);
  }

  Reply post(String path, String json) {
    return send("POST", path, json, "application/json");
  }

  Reply put(String path, String json) {
    return send("PUT", path, json, "application/json");
  }

  Reply patch(String path, String json, String contentType) {
    return send("PATCH", path, json, contentType);
  }

  /**
   * @param path below {@code /v1/}, may carry a query string
   */
  Reply send(String method, String path, String body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("X-Vault-Token", token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String raw = response.body();
      JsonNode parsed = raw == null || raw.isBlank() ? MissingNode.getInstance() : MAPPER.readTree(raw);
      return new Reply(response.statusCode(), parsed, raw);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when something answers HTTP at the address. */
  boolean canConnect() {
    try {
      CLIENT.send(
          HttpRequest.newBuilder(URI.create(address + "/v1/sys/health"))
              .timeout(Duration.ofSeconds(2))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
