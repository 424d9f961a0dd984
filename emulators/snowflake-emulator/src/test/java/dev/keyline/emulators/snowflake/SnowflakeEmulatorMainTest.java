package dev.keyline.emulators.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.keys.Fingerprints;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnowflakeEmulatorMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private SnowflakeEmulator start(String... args) {
    return SnowflakeEmulatorMain.start(args, new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @Test
  void printsOneListeningLineAndLoadsTheSeed(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path seed = Files.writeString(dir.resolve("seed.json"), SeedAndAdminTest.seed());

    try (SnowflakeEmulator emulator = start("--port", "" + port, "--seed", seed.toString())) {
      assertThat(out.toString(StandardCharsets.UTF_8))
          .isEqualTo("snowflake-emulator listening on http://127.0.0.1:" + port + System.lineSeparator());
      assertThat(emulator.keySlots("SEEDED", "ADMIN").rsaPublicKeyFp())
          .isEqualTo(Fingerprints.spkiSha256(TestDriver.key("seed-admin").getPublic()));
      assertThat(new RawClient(emulator.url()).send("GET", "/__admin/state", null).status()).isEqualTo(200);
    }
  }

  @Test
  void unknownOptionsMissingValuesAndBadSeedsAreRefused(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> start("--bogus", "1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> start("--port")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> start("--port", "abc")).hasMessageContaining("abc");
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"accounts\": 3}");
    assertThatThrownBy(() -> start("--seed", bad.toString())).hasMessageContaining("must be an array");
    assertThatThrownBy(() -> start("--tls-password", "x")).hasMessageContaining("--tls-keystore");
  }
}
