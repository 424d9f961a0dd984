package dev.keyline.emulators.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Snowflake's response envelope {@code {"data", "code", "message", "success"}}, always sent with
 * HTTP 200: the driver retries other statuses or reports them as communication errors.
 */
final class Envelopes {

  private Envelopes() {}

  static ObjectNode success(JsonNode data) {
    ObjectNode envelope = Json.object();
    if (data == null) {
      envelope.putNull("data");
    } else {
      envelope.set("data", data);
    }
    envelope.putNull("code");
    envelope.putNull("message");
    envelope.put("success", true);
    return envelope;
  }

  static ObjectNode failure(String code, String message, JsonNode data) {
    ObjectNode envelope = Json.object();
    if (data == null) {
      envelope.putNull("data");
    } else {
      envelope.set("data", data);
    }
    envelope.put("code", code);
    envelope.put("message", message);
    envelope.put("success", false);
    envelope.putNull("headers");
    return envelope;
  }

  /**
   * A statement's error: {@code data.sqlState} makes the driver report it as an SQL error with
   * that SQLSTATE and {@code data.errorCode} as the vendor code.
   */
  static ObjectNode sqlFailure(SnowflakeSqlError error, String queryId) {
    ObjectNode data = Json.object();
    data.put("internalError", false);
    data.put("errorCode", error.code());
    data.put("age", 0);
    data.put("sqlState", error.sqlState());
    data.put("queryId", queryId);
    data.put("line", -1);
    data.put("pos", -1);
    data.put("type", "COMPILATION");
    return failure(error.code(), error.getMessage(), data);
  }

  /** 390112: the driver renews the session token at /session/token-request and retries. */
  static ObjectNode sessionExpired() {
    ObjectNode data = Json.object();
    data.put("nextAction", "RETRY_LOGIN");
    data.put("authnMethod", "TOKEN");
    return failure("390112", "Your session has expired. Please login again.", data);
  }

  /** 390111: a token this server never issued, or of a closed session. */
  static ObjectNode sessionGone() {
    return failure(
        "390111", "Session no longer exists.  New login required to access the service.", null);
  }
}
