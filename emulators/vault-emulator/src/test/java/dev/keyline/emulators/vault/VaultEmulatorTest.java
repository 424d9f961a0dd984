package dev.keyline.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.emulators.vault.VaultHttp.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the emulator offers beyond Vault's API: configuration, faults, request log, read access. */
class VaultEmulatorTest {

  private VaultEmulator emulator;

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private VaultHttp start(VaultEmulator.Config config) {
    emulator = VaultEmulator.start(config);
    return new VaultHttp(emulator.url(), emulator.token());
  }

  @Test
  void defaultsAreAFreeLoopbackPortARandomTokenAndTheSecretMount() {
    VaultHttp vault = start(new VaultEmulator.Config());

    assertThat(emulator.url()).isEqualTo("http://127.0.0.1:" + emulator.port());
    assertThat(emulator.port()).isPositive();
    assertThat(emulator.token()).startsWith("hvs.").hasSize(28);
    assertThat(emulator.mounts()).containsExactly("secret");
    assertThat(vault.post("secret/data/a", "{\"data\":{\"k\":\"v\"}}").status()).isEqualTo(200);
  }

  /**
   * Vault answers through Go's http.ServeMux: a path with "..", "." or "//" is redirected (301) to its
   * cleaned form, never served as it was sent (a policy-bound token's {@code a/../b} must not become a
   * key named ".." under its own subtree).
   */
  @Test
  void unCleanPathsAreRedirectedToTheCleanedPathAsGoServeMuxDoes() throws Exception {
    VaultHttp vault = start(new VaultEmulator.Config());
    String sent = "/v1/secret/data/team/../other//x/./y?version=1";
    String answer;
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", emulator.port())) {
      socket.setSoTimeout(5_000);
      String body = "{\"data\":{\"k\":1}}";
      socket.getOutputStream().write(("POST " + sent + " HTTP/1.1\r\nHost: x\r\nX-Vault-Token: "
              + emulator.token() + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    }
    assertThat(answer).startsWith("HTTP/1.1 301")
        .containsIgnoringCase("location: /v1/secret/data/other/x/y?version=1");
    assertThat(vault.get("secret/metadata/team").status()).isEqualTo(404);
    assertThat(vault.get("secret/data/other/x/y").status()).isEqualTo(404); // redirected, not written
    assertThat(VaultHttpHandler.cleanPath("/v1/a/")).isEqualTo("/v1/a/");
    assertThat(VaultHttpHandler.cleanPath("/v1/../../a")).isEqualTo("/a");
  }

  @Test
  void configuredTokenAndMountsReplaceTheDefaults() {
    VaultHttp vault =
        start(new VaultEmulator.Config().rootToken("xyz").mount("kv", "/team/kv/"));

    assertThat(emulator.token()).isEqualTo("xyz");
    assertThat(emulator.mounts()).containsExactly("kv", "team/kv");
    assertThat(vault.post("kv/data/a", "{\"data\":{\"k\":\"1\"}}").status()).isEqualTo(200);
    assertThat(vault.post("team/kv/data/a", "{\"data\":{\"k\":\"2\"}}").status()).isEqualTo(200);
    Reply defaultMount = vault.get("secret/data/a");
    assertThat(defaultMount.status()).isEqualTo(404);
    assertThat(defaultMount.firstError())
        .isEqualTo("no handler for route \"secret/data/a\". route entry not found.");
    assertThat(emulator.secretPaths()).containsExactly("kv/a", "team/kv/a");
  }

  @Test
  void invalidMountsAreRefused() {
    VaultEmulator.Config config = new VaultEmulator.Config().mount("secret");

    assertThatThrownBy(() -> config.mount("sys")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config.mount("auth/x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config.mount("secret/inner"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config.mount("/")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sealedVaultAnswers503EverywhereButHealthAndSealStatus() {
    VaultHttp vault = start(new VaultEmulator.Config());
    vault.post("secret/data/a", "{\"data\":{\"k\":\"v\"}}");

    emulator.setSealed(true);

    Reply read = vault.get("secret/data/a");
    assertThat(read.status()).isEqualTo(503);
    assertThat(read.body()).isEqualTo(VaultHttp.json("{\"errors\":[\"Vault is sealed\"]}"));
    assertThat(vault.withToken(null).get("secret/data/a").status()).isEqualTo(503);
    assertThat(vault.get("auth/token/lookup-self").status()).isEqualTo(503);
    Reply health = vault.withToken(null).get("sys/health");
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.body().path("sealed").asBoolean()).isTrue();
    Reply sealStatus = vault.withToken(null).get("sys/seal-status");
    assertThat(sealStatus.status()).isEqualTo(200);
    assertThat(sealStatus.body().path("sealed").asBoolean()).isTrue();
    assertThat(emulator.isSealed()).isTrue();

    emulator.setSealed(false);

    assertThat(vault.get("secret/data/a").status()).isEqualTo(200);
    assertThat(vault.withToken(null).get("sys/health").status()).isEqualTo(200);
  }

  @Test
  void injectedFailuresHitExactlyTheNextRequests() {
    VaultHttp vault = start(new VaultEmulator.Config());
    vault.post("secret/data/a", "{\"data\":{\"k\":\"v\"}}");

    emulator.failNextRequests(2, 500);

    Reply first = vault.get("secret/data/a");
    assertThat(first.status()).isEqualTo(500);
    assertThat(first.firstError()).contains("injected failure");
    assertThat(vault.withToken(null).get("sys/health").status()).isEqualTo(500);
    assertThat(vault.get("secret/data/a").status()).isEqualTo(200);
  }

  @Test
  void injectedFailuresLeaveStoredDataUntouched() {
    VaultHttp vault = start(new VaultEmulator.Config());
    emulator.failNextRequests(1, 503);

    assertThat(vault.post("secret/data/a", "{\"data\":{\"k\":\"v\"}}").status()).isEqualTo(503);

    assertThat(emulator.secretPaths()).isEmpty();
    assertThatThrownBy(() -> emulator.failNextRequests(1, 200))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void latencyDelaysAnswersUntilCleared() {
    VaultHttp vault = start(new VaultEmulator.Config());
    emulator.setLatency(Duration.ofMillis(300));

    long started = System.nanoTime();
    assertThat(vault.withToken(null).get("sys/health").status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

    emulator.clearFaults();
    started = System.nanoTime();
    vault.withToken(null).get("sys/health");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(300));
  }

  @Test
  void clearFaultsUnsealsAndDropsPendingFailures() {
    VaultHttp vault = start(new VaultEmulator.Config());
    emulator.setSealed(true);
    emulator.failNextRequests(5, 500);

    emulator.clearFaults();

    assertThat(emulator.isSealed()).isFalse();
    assertThat(vault.get("auth/token/lookup-self").status()).isEqualTo(200);
  }

  @Test
  void requestLogRecordsMethodPathAndStatusButNeverBodiesOrTokens() {
    VaultHttp vault = start(new VaultEmulator.Config().rootToken("root-token-value"));

    vault.post("secret/data/app", "{\"data\":{\"password\":\"s3cr3t-value\"}}");
    vault.get("secret/data/app?version=1");
    vault.list("secret/metadata/");
    vault.withToken(null).get("secret/data/app");

    assertThat(emulator.requests())
        .containsExactly(
            new RecordedRequest("POST", "/v1/secret/data/app", null, 200),
            new RecordedRequest("GET", "/v1/secret/data/app", "version=1", 200),
            new RecordedRequest("LIST", "/v1/secret/metadata/", null, 200),
            new RecordedRequest("GET", "/v1/secret/data/app", null, 403));
    assertThat(emulator.requestCount()).isEqualTo(4);
    assertThat(emulator.requestCount("GET", "/v1/secret/data/app")).isEqualTo(2);
    assertThat(emulator.requests().toString())
        .doesNotContain("s3cr3t-value")
        .doesNotContain("root-token-value");

    emulator.clearRequests();
    assertThat(emulator.requests()).isEmpty();
    assertThat(emulator.requestCount()).isZero();
  }

  @Test
  void storedVersionsAreVisibleAndMetadataDeleteRemovesAllOfThem() {
    VaultHttp vault = start(new VaultEmulator.Config());
    vault.post("secret/data/app/db", "{\"data\":{\"v\":\"1\"}}");
    vault.post("secret/data/app/db", "{\"data\":{\"v\":\"2\"}}");
    vault.delete("secret/data/app/db");
    vault.post("secret/destroy/app/db", "{\"versions\":[1]}");

    assertThat(emulator.secretPaths()).containsExactly("secret/app/db");
    assertThat(emulator.versions("secret", "app/db")).containsOnlyKeys(1, 2);
    SecretVersion first = emulator.versions("secret", "app/db").get(1);
    assertThat(first.destroyed()).isTrue();
    assertThat(first.data()).isNull();
    SecretVersion second = emulator.versions("secret", "app/db").get(2);
    assertThat(second.deleted()).isTrue();
    assertThat(second.data()).containsEntry("v", "2");

    vault.delete("secret/metadata/app/db");

    assertThat(emulator.secretPaths()).isEmpty();
    assertThat(emulator.versions("secret", "app/db")).isEmpty();
    assertThatThrownBy(() -> emulator.versions("nope", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void seededSecretsAreReadableOverHttp() {
    VaultHttp vault = start(new VaultEmulator.Config());

    int version = emulator.writeSecret("secret", "seeded", Map.of("user", "svc", "port", 5432));

    assertThat(version).isEqualTo(1);
    Reply read = vault.get("secret/data/seeded");
    assertThat(read.data().path("data"))
        .isEqualTo(VaultHttp.json("{\"user\":\"svc\",\"port\":5432}"));
  }

  @Test
  void numbersKeepTheirLiteralForm() {
    VaultHttp vault = start(new VaultEmulator.Config());
    vault.post("secret/data/n", "{\"data\":{\"price\":1.10,\"big\":123456789012345678901234567890}}");

    assertThat(vault.get("secret/data/n").raw())
        .contains("\"price\":1.10")
        .contains("\"big\":123456789012345678901234567890");
  }

  @Test
  void defaultMaxVersionsIsTenAndOldestVersionMovesAsVaultDoes() {
    VaultHttp vault = start(new VaultEmulator.Config());
    for (int i = 1; i <= 11; i++) {
      vault.post("secret/data/many", "{\"data\":{\"v\":\"" + i + "\"}}");
    }

    Reply meta = vault.get("secret/metadata/many");

    assertThat(meta.data().path("oldest_version").asInt()).isEqualTo(2);
    assertThat(emulator.versions("secret", "many").keySet())
        .containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
  }

  @Test
  void deleteVersionAfterSchedulesDeletion() throws InterruptedException {
    VaultHttp vault = start(new VaultEmulator.Config());
    assertThat(vault.post("secret/metadata/short", "{\"delete_version_after\":\"1s\"}").status())
        .isEqualTo(204);
    assertThat(vault.get("secret/metadata/short").data().path("delete_version_after").asText())
        .isEqualTo("1s");

    Reply write = vault.post("secret/data/short", "{\"data\":{\"v\":\"1\"}}");
    assertThat(write.data().path("deletion_time").asText()).isNotEmpty();
    assertThat(vault.get("secret/data/short").status()).isEqualTo(200);

    Thread.sleep(1100);
    assertThat(vault.get("secret/data/short").status()).isEqualTo(404);
  }

  @Test
  void pathsOfVaultThatAreNotEmulatedAnswer501() {
    VaultHttp vault = start(new VaultEmulator.Config());

    Reply mounts = vault.get("sys/mounts");

    assertThat(mounts.status()).isEqualTo(501);
    assertThat(mounts.firstError()).contains("not emulated");
    assertThat(vault.withToken(null).get("sys/mounts").status()).isEqualTo(403);
  }

  @Test
  void bearerAuthorizationIsAcceptedLikeVault() throws Exception {
    start(new VaultEmulator.Config().rootToken("bearer-root"));

    HttpResponse<String> bearer =
        rawGet("/v1/auth/token/lookup-self", "Authorization", "Bearer bearer-root");
    HttpResponse<String> wrongBearer =
        rawGet("/v1/auth/token/lookup-self", "Authorization", "Bearer other");

    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(bearer.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(bearer.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(wrongBearer.statusCode()).isEqualTo(403);
  }

  @Test
  void kubernetesLoginIssuesExpiringTokensForConfiguredRolesOnly() throws InterruptedException {
    VaultHttp anonymous =
        start(
                new VaultEmulator.Config()
                    .policy("k8s", "path \"secret/data/k8s\" { capabilities = [\"create\", \"read\"] }")
                    .kubernetesRole("app", "the-jwt", "k8s")
                    .kubernetesRole("any", null)
                    .kubernetesTokenTtl(Duration.ofSeconds(1)))
            .withToken(null);

    Reply login = anonymous.post("auth/kubernetes/login", "{\"role\":\"app\",\"jwt\":\"the-jwt\"}");

    assertThat(login.status()).isEqualTo(200);
    String token = login.body().path("auth").path("client_token").asText();
    assertThat(token).startsWith("hvs.");
    assertThat(login.body().path("auth").path("lease_duration").asInt()).isEqualTo(1);
    assertThat(login.body().path("auth").path("renewable").asBoolean()).isTrue();
    VaultHttp app = anonymous.withToken(token);
    assertThat(app.post("secret/data/k8s", "{\"data\":{\"a\":\"b\"}}").status()).isEqualTo(200);
    assertThat(app.get("auth/token/lookup-self").data().path("policies").toString())
        .isEqualTo("[\"default\",\"k8s\"]");
    assertThat(app.get("secret/data/k8s").status()).isEqualTo(200);

    assertThat(anonymous.post("auth/kubernetes/login", "{\"role\":\"app\",\"jwt\":\"other\"}").status())
        .isEqualTo(403);
    Reply unknownRole = anonymous.post("auth/kubernetes/login", "{\"role\":\"x\",\"jwt\":\"j\"}");
    assertThat(unknownRole.status()).isEqualTo(400);
    assertThat(unknownRole.firstError()).isEqualTo("invalid role name \"x\"");
    assertThat(anonymous.post("auth/kubernetes/login", "{\"role\":\"any\"}").firstError())
        .isEqualTo("missing jwt");
    assertThat(anonymous.post("auth/kubernetes/login", "{\"role\":\"any\",\"jwt\":\"j\"}").status())
        .isEqualTo(200);

    Thread.sleep(1100);
    assertThat(app.get("secret/data/k8s").status()).isEqualTo(403);
  }

  @Test
  void kubernetesLoginIsUnknownUnlessARoleIsConfigured() {
    VaultHttp vault = start(new VaultEmulator.Config());

    assertThat(vault.withToken(null).post("auth/kubernetes/login", "{\"role\":\"a\",\"jwt\":\"j\"}").status())
        .isEqualTo(403);
    assertThat(vault.post("auth/kubernetes/login", "{\"role\":\"a\",\"jwt\":\"j\"}").firstError())
        .contains("no handler for route");
  }

  @Test
  void rootTokenCannotBeRenewedButKubernetesTokensCan() {
    VaultHttp vault = start(new VaultEmulator.Config().kubernetesRole("app", null));

    Reply renewRoot = vault.post("auth/token/renew-self", "{}");
    assertThat(renewRoot.status()).isEqualTo(400);
    assertThat(renewRoot.firstError()).isEqualTo("lease is not renewable");

    String token =
        vault
            .withToken(null)
            .post("auth/kubernetes/login", "{\"role\":\"app\",\"jwt\":\"j\"}")
            .body()
            .path("auth")
            .path("client_token")
            .asText();
    Reply renewed = vault.withToken(token).post("auth/token/renew-self", "{}");
    assertThat(renewed.status()).isEqualTo(200);
    assertThat(renewed.body().path("auth").path("client_token").asText()).isEqualTo(token);
  }

  @Test
  void malformedRequestsAreRejectedBeforeTheTokenIsChecked() {
    VaultHttp anonymous = start(new VaultEmulator.Config()).withToken(null);

    assertThat(anonymous.post("secret/data/a", "{broken").status()).isEqualTo(400);
    assertThat(anonymous.send("GET", "secret/metadata/?list=maybe", null, null).status())
        .isEqualTo(400);
    assertThat(anonymous.send("TRACE", "secret/data/a", null, null).status()).isEqualTo(405);
  }

  @Test
  void pathsOutsideV1Are404() throws Exception {
    start(new VaultEmulator.Config());

    HttpResponse<String> response = rawGet("/v2/secret", "X-Vault-Token", emulator.token());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"errors\":[]}");
  }

  private HttpResponse<String> rawGet(String path, String header, String value) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(emulator.url() + path)).header(header, value).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
