package dev.keyline.emulators.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.keys.Fingerprints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/** Talks to the emulator without the driver, to send what the driver never would. */
final class RawClient {

  static final ObjectMapper MAPPER = new ObjectMapper();

  record Reply(int status, JsonNode body) {}

  private final String baseUrl;
  private final HttpClient http;

  RawClient(String baseUrl) {
    this(baseUrl, HttpClient.newHttpClient());
  }

  RawClient(String baseUrl, HttpClient http) {
    this.baseUrl = baseUrl;
    this.http = http;
  }

  /** A JWT as the driver builds it: RS256, iss ACCOUNT.USER.SHA256:fp, sub ACCOUNT.USER, 60 s. */
  static String jwt(String account, String user, KeyPair key) {
    long now = Instant.now().getEpochSecond();
    return jwt(account, user, key.getPublic(), key.getPrivate(), now, now + 60);
  }

  static String jwt(String account, String user, PublicKey named, PrivateKey signer, long iat, long exp) {
    String sub = account + "." + user;
    String claims =
        "{\"iss\":\"" + sub + "." + Fingerprints.spkiSha256(named) + "\",\"sub\":\"" + sub
            + "\",\"iat\":" + iat + ",\"exp\":" + exp + "}";
    return sign("{\"alg\":\"RS256\"}", claims, signer);
  }

  static String sign(String header, String claims, PrivateKey signer) {
    String input = b64(header) + "." + b64(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(signer);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  Reply login(String account, String user, String jwt) {
    ObjectNode data = MAPPER.createObjectNode();
    data.put("ACCOUNT_NAME", account);
    data.put("LOGIN_NAME", user);
    data.put("AUTHENTICATOR", "SNOWFLAKE_JWT");
    data.put("TOKEN", jwt);
    data.put("CLIENT_APP_ID", "RawClient");
    ObjectNode body = MAPPER.createObjectNode();
    body.set("data", data);
    return post("/session/v1/login-request?requestId=1", body.toString().getBytes(StandardCharsets.UTF_8), null, false);
  }

  /** A query request as the driver sends it: gzip JSON body, token header. */
  Reply query(String token, String sql) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("sqlText", sql);
    body.put("describeOnly", false);
    return post("/queries/v1/query-request?requestId=2", gzip(body.toString()), token, true);
  }

  Reply post(String path, byte[] body, String token, boolean gzip) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    if (token != null) {
      request.header("Authorization", "Snowflake Token=\"" + token + "\"");
    }
    return send(request.build());
  }

  Reply send(String method, String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      byte[] bytes = response.body();
      return new Reply(response.statusCode(), bytes.length == 0 ? null : MAPPER.readTree(bytes));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
