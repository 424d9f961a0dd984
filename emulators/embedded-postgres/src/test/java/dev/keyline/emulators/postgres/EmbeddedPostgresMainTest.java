package dev.keyline.emulators.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresMainTest {

  @Test
  void printsTheReadyLineAndCreatesEveryDatabase() throws SQLException {
    Path dir = EmbeddedPostgresTest.freshDirectory();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    try (EmbeddedPostgres postgres =
        EmbeddedPostgresMain.start(
            new String[] {"--dir", dir.toString(), "--database", "a,b,c", "--password", "secret"},
            new PrintStream(out, true, StandardCharsets.UTF_8))) {
      String base = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/";
      assertThat(out.toString(StandardCharsets.UTF_8).lines())
          .containsExactly(
              "postgres ready " + base + "a",
              "postgres database " + base + "b",
              "postgres database " + base + "c",
              "postgres user keyline password secret");
      for (String database : List.of("a", "b", "c")) {
        DriverManager.getConnection(base + database, "keyline", "secret").close();
      }
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void badArgumentsAreRefused() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> EmbeddedPostgresMain.start(new String[] {"--bogus", "x"}, out))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmbeddedPostgresMain.start(new String[] {"--database"}, out))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmbeddedPostgresMain.start(new String[] {"--database", "ok,no-way"}, out))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sigtermStopsTheServerAndRemovesTheDirectory() throws Exception {
    Path dir = EmbeddedPostgresTest.freshDirectory();
    Process process = launch(dir);
    ProcessHandle postmaster = postmaster(dir);

    process.destroy();

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(PgCtl.running(postmaster)).isFalse();
    assertThat(dir).doesNotExist();
  }

  @Test
  void aKilledJvmLeavesNoServerBehind() throws Exception {
    Path dir = EmbeddedPostgresTest.freshDirectory();
    Process process = launch(dir);
    ProcessHandle postmaster = postmaster(dir);

    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while ((PgCtl.running(postmaster) || Files.exists(dir)) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(PgCtl.running(postmaster)).as("server still running").isFalse();
    assertThat(dir).doesNotExist();
  }

  /** Runs the main class in its own JVM and waits for its ready line. */
  private static Process launch(Path dir) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path stderr = Files.createTempFile("embedded-pg-main", ".log");
    stderr.toFile().deleteOnExit();
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedPostgresMain.class.getName(),
                "--dir",
                dir.toString(),
                "--database",
                "app")
            .redirectError(stderr.toFile())
            .start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String first =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return lines.readLine();
                  } catch (IOException e) {
                    return null;
                  }
                })
            .get(60, TimeUnit.SECONDS);
    assertThat(first)
        .as("first line; stderr: %s", Files.readString(stderr))
        .startsWith("postgres ready jdbc:postgresql://127.0.0.1:")
        .endsWith("/app");
    return process;
  }

  private static ProcessHandle postmaster(Path dir) {
    long pid = new ClusterDirectory(dir).postmasterPid().orElseThrow();
    return ProcessHandle.of(pid).orElseThrow();
  }
}
