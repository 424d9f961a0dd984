package dev.keyline.emulators.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The driver's endpoints and the admin endpoints over HTTP.
 *
 * <p>Driver endpoints (all POST, always HTTP 200 with Snowflake's envelope): {@code
 * /session/v1/login-request}, {@code /session/token-request}, {@code /session?delete=true}, {@code
 * /session/heartbeat}, {@code /queries/v1/query-request}, {@code /queries/v1/abort-request},
 * {@code /telemetry/send}. Latency and forced HTTP statuses apply to these only; {@code /__admin/}
 * is never slowed down or failed.
 */
final class SnowflakeHttpHandler implements HttpHandler {

  private static final Pattern TOKEN = Pattern.compile("Snowflake Token=\"([^\"]*)\"");

  private final Backend backend;
  private final FaultInjector faults;
  private final AdminEndpoints admin;

  SnowflakeHttpHandler(Backend backend, FaultInjector faults, AdminEndpoints admin) {
    this.backend = backend;
    this.faults = faults;
    this.admin = admin;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/__admin/") || path.equals("/__admin")) {
        AdminEndpoints.Response response = admin.handle(exchange.getRequestMethod(), path, readBody(exchange));
        send(exchange, response.status(), response.body());
        return;
      }
      pauseForLatency();
      Integer forced = faults.takeForcedStatus();
      if (forced != null) {
        exchange.getRequestBody().readAllBytes();
        ObjectNode body = Json.object().put("message", "snowflake-emulator: injected HTTP " + forced);
        send(exchange, forced, body);
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        send(exchange, 405, Json.object().put("message", "only POST is answered here"));
        return;
      }
      JsonNode body;
      try {
        body = parseJson(readBody(exchange));
      } catch (IOException e) {
        send(exchange, 400, Json.object().put("message", "request body is not JSON"));
        return;
      }
      faults.holdIfMatching(describe(path, body));
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String token = token(exchange);
      ObjectNode answer =
          switch (path) {
            case "/session/v1/login-request" -> backend.login(body, query);
            case "/session/token-request" -> backend.renew(token, body);
            case "/session" ->
                "true".equals(query.get("delete"))
                    ? backend.logout(token)
                    : Envelopes.failure("390100", "Unsupported session request.", null);
            case "/session/heartbeat" -> backend.heartbeat(token);
            case "/queries/v1/query-request" -> backend.query(token, body);
            case "/queries/v1/abort-request", "/telemetry/send" -> backend.requireSession(token);
            default -> null;
          };
      if (answer == null) {
        send(exchange, 404, Json.object().put("message", "snowflake-emulator: no endpoint " + path));
        return;
      }
      send(exchange, 200, answer);
    } catch (RuntimeException e) {
      System.err.println("snowflake-emulator: internal error: " + e);
      e.printStackTrace();
      send(exchange, 500, Json.object().put("message", "snowflake-emulator internal error: " + e));
    } finally {
      exchange.close();
    }
  }

  /** What a {@link RequestPattern} is matched against: the SQL text, or the login's account and user. */
  private static String describe(String path, JsonNode body) {
    return switch (path) {
      case "/session/v1/login-request" ->
          RequestPattern.login(
              body.path("data").path("ACCOUNT_NAME").asText(""),
              body.path("data").path("LOGIN_NAME").asText(""));
      case "/queries/v1/query-request" -> body.path("sqlText").asText("");
      default -> path;
    };
  }

  private void pauseForLatency() {
    Duration latency = faults.latency();
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The request body, un-gzipped when the driver compressed it (query requests). */
  private static byte[] readBody(HttpExchange exchange) throws IOException {
    byte[] raw = exchange.getRequestBody().readAllBytes();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    boolean gzip =
        (encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("gzip"))
            || (raw.length > 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b);
    if (!gzip) {
      return raw;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return in.readAllBytes();
    }
  }

  private static JsonNode parseJson(byte[] body) throws IOException {
    if (body.length == 0) {
      return Json.object();
    }
    JsonNode node = Json.MAPPER.readTree(body);
    if (node == null || !node.isObject()) {
      throw new IOException("not a JSON object");
    }
    return node;
  }

  private static String token(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null) {
      return null;
    }
    Matcher matcher = TOKEN.matcher(header);
    return matcher.find() ? matcher.group(1) : null;
  }

  static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.putIfAbsent(key, value);
    }
    return query;
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
