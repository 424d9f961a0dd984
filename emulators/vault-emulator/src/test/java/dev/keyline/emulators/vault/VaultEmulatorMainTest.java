package dev.keyline.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultEmulatorMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private VaultEmulator start(String... args) {
    return VaultEmulatorMain.start(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void printsOneListeningLineAndUsesTheGivenOptions() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }

    try (VaultEmulator emulator = start("--port", "" + port, "--token", "xyz", "--mount", "secret,kv")) {
      assertThat(out.toString(StandardCharsets.UTF_8))
          .isEqualTo("vault-emulator listening on http://127.0.0.1:" + port + System.lineSeparator());
      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
      assertThat(emulator.token()).isEqualTo("xyz");
      assertThat(emulator.mounts()).containsExactly("secret", "kv");
      assertThat(new VaultHttp(emulator.url(), "xyz").get("auth/token/lookup-self").status())
          .isEqualTo(200);
    }
  }

  @Test
  void aGeneratedTokenIsPrintedOnStandardError() {
    try (VaultEmulator emulator = start()) {
      assertThat(err.toString(StandardCharsets.UTF_8)).contains(emulator.token());
      assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(emulator.token());
    }
  }

  @Test
  void unknownOptionsAndMissingValuesAreRefused() {
    assertThatThrownBy(() -> start("--bogus", "1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> start("--port")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> start("--port", "abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("abc");
  }

  @Test
  void theTokenMayComeFromAFileSoThatItIsNotOnTheCommandLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "from-a-file\n");
    try (VaultEmulator emulator = start("--token-file", file.toString())) {
      assertThat(emulator.token()).isEqualTo("from-a-file");
      assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("from-a-file");
      assertThat(new VaultHttp(emulator.url(), "from-a-file").get("auth/token/lookup-self").status())
          .isEqualTo(200);
    }
    Files.writeString(file, "two words\n");
    assertThatThrownBy(() -> start("--token-file", file.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one token");
    assertThatThrownBy(() -> start("--token-file", dir.resolve("missing").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read");
  }

  @Test
  void aKubernetesRolesJwtMayComeFromAFileSoThatItIsNotOnTheCommandLine(@TempDir Path dir)
      throws Exception {
    Path policy = dir.resolve("app.hcl");
    Files.writeString(policy, "path \"secret/data/app/*\" { capabilities = [\"create\", \"read\"] }\n");
    // A colon in the file's path is fine when the policies follow: the last colon starts them.
    Path jwt = dir.resolve("app:jwt");
    Files.writeString(jwt, "jwt-from-a-file\n");
    try (VaultEmulator emulator =
        start("--policy", "app=" + policy, "--kubernetes-role", "app=@" + jwt + ":app")) {
      VaultHttp anonymous = new VaultHttp(emulator.url(), "unused").withToken(null);
      assertThat(anonymous.post("auth/kubernetes/login", "{\"role\":\"app\",\"jwt\":\"@" + jwt + "\"}").status())
          .isEqualTo(403);
      VaultHttp.Reply login =
          anonymous.post("auth/kubernetes/login", "{\"role\":\"app\",\"jwt\":\"jwt-from-a-file\"}");
      assertThat(login.status()).isEqualTo(200);
      VaultHttp app = anonymous.withToken(login.body().path("auth").path("client_token").asText());
      assertThat(app.post("secret/data/app/x", "{\"data\":{\"a\":\"b\"}}").status()).isEqualTo(200);
      assertThat(app.post("secret/data/other/x", "{\"data\":{\"a\":\"b\"}}").status()).isEqualTo(403);
    }
    assertThatThrownBy(() -> start("--kubernetes-role", "app=@" + dir.resolve("missing") + ":default"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--kubernetes-role app: JWT file")
        .hasMessageContaining("cannot be read");
    Files.writeString(jwt, "two words\n");
    assertThatThrownBy(() -> start("--kubernetes-role", "app=@" + jwt + ":default"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one token");
  }
}
