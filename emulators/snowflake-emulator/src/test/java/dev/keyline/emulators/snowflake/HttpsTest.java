package dev.keyline.emulators.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS is optional: same protocol, TLS in front. */
class HttpsTest {

  private static final Issued CA = TestPki.ca("snowflake-emulator test CA");
  private static final Issued SERVER = TestPki.server(CA, "127.0.0.1", "127.0.0.1", "localhost");
  private static final KeyPair KEY = TestDriver.key("https");

  @Test
  void servesTheSameProtocolOverTls() {
    try (SnowflakeEmulator snowflake =
        SnowflakeEmulator.start(new SnowflakeEmulator.Config().tls(TestPki.sslContext(SERVER)))) {
      snowflake.account("TLS_ACME").user("SVC").rsaPublicKey(KEY.getPublic());

      assertThat(snowflake.url()).startsWith("https://127.0.0.1:");
      assertThat(snowflake.jdbcUrl()).doesNotContain("ssl=off");
      RawClient trusting =
          new RawClient(snowflake.url(), HttpClient.newBuilder().sslContext(TestPki.sslContext(null, CA)).build());
      assertThat(trusting.login("TLS_ACME", "SVC", RawClient.jwt("TLS_ACME", "SVC", KEY)).body().path("success").asBoolean())
          .isTrue();

      RawClient untrusting = new RawClient(snowflake.url());
      assertThatThrownBy(() -> untrusting.login("TLS_ACME", "SVC", RawClient.jwt("TLS_ACME", "SVC", KEY)))
          .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
    }
  }

  @Test
  void theMainServesHttpsFromAPkcs12KeyStore(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("server.p12");
    try (OutputStream out = Files.newOutputStream(keystore)) {
      SERVER.keyStore("secret".toCharArray(), CA).store(out, "secret".toCharArray());
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    try (SnowflakeEmulator snowflake =
        SnowflakeEmulatorMain.start(
            new String[] {"--tls-keystore", keystore.toString(), "--tls-password", "secret"},
            new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("snowflake-emulator listening on https://127.0.0.1:");
      RawClient trusting =
          new RawClient(snowflake.url(), HttpClient.newBuilder().sslContext(TestPki.sslContext(null, CA)).build());
      assertThat(trusting.send("GET", "/__admin/state", null).status()).isEqualTo(200);
    }
  }
}
