package dev.keyline.emulators.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /__admin/…}: the Java API over HTTP, for local runs of the services and for scripts.
 *
 * <pre>
 * GET    /__admin/state                                      whole state, seed format + fingerprints
 * POST   /__admin/seed                                       merge a seed document
 * GET    /__admin/logins | /__admin/statements               history, oldest first
 * DELETE /__admin/history                                    forget history and counters
 * GET    /__admin/accounts/{a}/users/{u}/key-slots           both slots
 * PUT    /__admin/accounts/{a}/users/{u}/key-slots/{1|2}     {"publicKey": "PEM or base64"}
 * DELETE /__admin/accounts/{a}/users/{u}/key-slots/{1|2}     unset
 * POST   /__admin/faults    {"latencyMillis": 200, "failNextRequests": 2, "failStatus": 503,
 *                            "failNextLogin": "390144", "failNextAlter": "003001",
 *                            "failNextLoginOf": {"user": "SVC_A", "code": "390144"},
 *                            "failNextStatement": {"code": "000603", "matching": ["DESC USER", "SVC_A"]},
 *                            "expireSessionTokens": true | {"account": "A", "user": "U"}}
 * DELETE /__admin/faults                                     clear all faults
 * </pre>
 *
 * Path segments are URL-decoded and follow identifier rules ({@code %22svc_a%22} for a quoted
 * name). Errors answer 400 (bad input) or 404 (unknown path) with {@code {"message": …}}.
 */
final class AdminEndpoints {

  record Response(int status, JsonNode body) {}

  private final SnowflakeEmulator emulator;

  AdminEndpoints(SnowflakeEmulator emulator) {
    this.emulator = emulator;
  }

  Response handle(String method, String path, byte[] body) {
    String[] parts = path.substring(1).split("/", -1);
    try {
      return route(method, parts, body);
    } catch (IllegalArgumentException e) {
      return new Response(400, message(e.getMessage()));
    }
  }

  private Response route(String method, String[] parts, byte[] body) {
    String first = parts.length > 1 ? parts[1] : "";
    if (parts.length == 2) {
      switch (method + " " + first) {
        case "GET state" -> {
          return ok(Seed.dump(emulator.backend()));
        }
        case "POST seed" -> {
          emulator.loadSeed(new String(body, StandardCharsets.UTF_8));
          return ok(message("seed loaded"));
        }
        case "GET logins" -> {
          ArrayNode out = Json.array();
          emulator.logins().forEach(l -> out.add(toJson(l)));
          return ok(out);
        }
        case "GET statements" -> {
          ArrayNode out = Json.array();
          emulator.statements().forEach(s -> out.add(toJson(s)));
          return ok(out);
        }
        case "DELETE history" -> {
          emulator.clearHistory();
          return ok(message("history cleared"));
        }
        case "POST faults" -> {
          return ok(faults(json(body)));
        }
        case "DELETE faults" -> {
          emulator.clearFaults();
          return ok(message("faults cleared"));
        }
        default -> {
          return notFound(parts);
        }
      }
    }
    // accounts/{a}/users/{u}/key-slots[/{n}]
    if ((parts.length == 6 || parts.length == 7)
        && first.equals("accounts")
        && parts[3].equals("users")
        && parts[5].equals("key-slots")) {
      String account = decode(parts[2]);
      String user = decode(parts[4]);
      if (parts.length == 6 && method.equals("GET")) {
        return ok(toJson(emulator.keySlots(account, user)));
      }
      if (parts.length == 7) {
        int slot = slot(parts[6]);
        if (method.equals("PUT")) {
          JsonNode request = json(body);
          JsonNode key = request.path("publicKey");
          if (!key.isTextual()) {
            throw new IllegalArgumentException("body needs {\"publicKey\": \"PEM or base64\"}");
          }
          emulator.setKeySlot(account, user, slot, key.asText());
          return ok(toJson(emulator.keySlots(account, user)));
        }
        if (method.equals("DELETE")) {
          emulator.unsetKeySlot(account, user, slot);
          return ok(toJson(emulator.keySlots(account, user)));
        }
      }
    }
    return notFound(parts);
  }

  private ObjectNode faults(JsonNode request) {
    ObjectNode out = Json.object();
    for (var names = request.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      JsonNode value = request.get(name);
      switch (name) {
        case "latencyMillis" -> emulator.setLatency(Duration.ofMillis(requireLong(name, value)));
        case "failNextRequests" -> {
          int status = request.path("failStatus").asInt(503);
          emulator.failNextRequests((int) requireLong(name, value), status);
        }
        case "failStatus" -> {
          // read with failNextRequests
        }
        case "failNextLogin" ->
            emulator.failNextLogin(value.isTextual() ? value.asText() : "390144");
        case "failNextAlter" ->
            emulator.failNextAlter(value.isTextual() ? value.asText() : "003001");
        case "failNextStatement" ->
            emulator.failNextStatement(
                requireText(value, "code"),
                requireFragments(value.path("matching")).toArray(String[]::new));
        case "failNextLoginOf" ->
            emulator.failNextLoginOf(requireText(value, "user"), requireText(value, "code"));
        case "expireSessionTokens" -> {
          int expired =
              value.isObject()
                  ? emulator.expireSessionTokens(
                      value.path("account").asText(null), value.path("user").asText(null))
                  : emulator.expireSessionTokens();
          out.put("expiredSessions", expired);
        }
        default -> throw new IllegalArgumentException("unknown fault '" + name + "'");
      }
    }
    out.put("message", "faults set");
    return out;
  }

  static ObjectNode toJson(KeySlots slots) {
    ObjectNode node = Json.object();
    Backend.putNullable(node, "rsaPublicKey", slots.rsaPublicKey());
    Backend.putNullable(node, "rsaPublicKeyFp", slots.rsaPublicKeyFp());
    Backend.putNullable(node, "rsaPublicKeyLastSetTime", time(slots.rsaPublicKeyLastSetTime()));
    Backend.putNullable(node, "rsaPublicKey2", slots.rsaPublicKey2());
    Backend.putNullable(node, "rsaPublicKey2Fp", slots.rsaPublicKey2Fp());
    Backend.putNullable(node, "rsaPublicKey2LastSetTime", time(slots.rsaPublicKey2LastSetTime()));
    return node;
  }

  private static ObjectNode toJson(LoginAttempt login) {
    ObjectNode node = Json.object();
    node.put("at", login.at().toString());
    Backend.putNullable(node, "account", login.account());
    Backend.putNullable(node, "user", login.user());
    Backend.putNullable(node, "fingerprint", login.fingerprint());
    node.put("slot", login.slot());
    Backend.putNullable(node, "role", login.role());
    node.put("succeeded", login.succeeded());
    Backend.putNullable(node, "errorCode", login.errorCode());
    Backend.putNullable(node, "reason", login.reason());
    return node;
  }

  private static ObjectNode toJson(ExecutedStatement statement) {
    ObjectNode node = Json.object();
    node.put("at", statement.at().toString());
    node.put("queryId", statement.queryId());
    node.put("account", statement.account());
    node.put("user", statement.user());
    node.put("role", statement.role());
    Backend.putNullable(node, "sql", statement.sql());
    node.put("describeOnly", statement.describeOnly());
    node.put("succeeded", statement.succeeded());
    Backend.putNullable(node, "errorCode", statement.errorCode());
    Backend.putNullable(node, "errorMessage", statement.errorMessage());
    return node;
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static long requireLong(String name, JsonNode value) {
    if (!value.canConvertToLong()) {
      throw new IllegalArgumentException(name + " must be a number");
    }
    return value.asLong();
  }

  private static String requireText(JsonNode object, String field) {
    JsonNode v = object.path(field);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(field + " is required (a string)");
    }
    return v.asText();
  }

  private static java.util.List<String> requireFragments(JsonNode array) {
    if (!array.isArray() || array.isEmpty()) {
      throw new IllegalArgumentException("matching must be a non-empty array of strings");
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static int slot(String text) {
    return switch (text) {
      case "1" -> 1;
      case "2" -> 2;
      default -> throw new IllegalArgumentException("key slot must be 1 or 2, not " + text);
    };
  }

  private static JsonNode json(byte[] body) {
    try {
      JsonNode node = body.length == 0 ? Json.object() : Json.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("body is not JSON");
    }
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }

  private static Response ok(JsonNode body) {
    return new Response(200, body);
  }

  private static Response notFound(String[] parts) {
    return new Response(404, message("no admin endpoint /" + String.join("/", parts)));
  }

  private static ObjectNode message(String text) {
    return Json.object().put("message", text);
  }
}
