package dev.keyline.emulators.nodeclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Node.js client script of an emulator module against that emulator: the scripts and their
 * pinned npm packages are installed by the module's build into {@code target/node-client} (see
 * {@code scripts/install-node-clients.sh}). The plan goes in as JSON on stdin, so keys and tokens
 * never show in the process list; the script answers one JSON document on stdout.
 *
 * <p>Why a failure, not a skip, when Node.js is missing: these tests are the emulators' proof
 * against clients nobody here wrote, and a skipped proof reads like a passed one. CI has Node.js.
 *
 * <p>Shared by the vault-emulator and snowflake-emulator tests (this module's test-jar).
 */
public final class NodeScript {

  /** Where the build installs a module's scripts and packages (surefire runs in the module dir). */
  public static final Path CLIENT_DIR = Path.of("target", "node-client");

  /** The oldest Node.js the pinned clients support (snowflake-sdk 3.3.0: engines node >= 20). */
  static final int MIN_NODE_MAJOR = 20;

  /** A guard against a hung client, far above the few seconds a script takes. */
  private static final long TIMEOUT_SECONDS = 180;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private NodeScript() {}

  /**
   * Runs {@code node <script>} in {@link #CLIENT_DIR} with {@code plan} on stdin.
   *
   * @param environment added to the inherited environment (the client's own switches)
   * @return the script's stdout as JSON
   * @throws AssertionError naming what is missing when node, the script or its packages are absent,
   *     or with the script's stderr when it fails
   */
  public static JsonNode run(String script, JsonNode plan, Map<String, String> environment) {
    requireNode();
    Path scriptFile = CLIENT_DIR.resolve(script);
    if (!Files.isRegularFile(scriptFile) || !Files.isDirectory(CLIENT_DIR.resolve("node_modules"))) {
      throw new AssertionError(
          CLIENT_DIR.toAbsolutePath()
              + " holds no "
              + script
              + " with node_modules: the Maven build installs them (exec-maven-plugin,"
              + " install-node-clients, phase process-test-resources); run the module's build, not"
              + " the test class alone");
    }
    try {
      Path out = Files.createTempFile("node-client", ".out");
      Path err = Files.createTempFile("node-client", ".err");
      try {
        ProcessBuilder builder =
            new ProcessBuilder("node", "--no-warnings", script)
                .directory(CLIENT_DIR.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try (OutputStream stdin = process.getOutputStream()) {
          stdin.write(MAPPER.writeValueAsBytes(plan));
        }
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("node " + script + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0 || stdout.isBlank()) {
          throw new AssertionError(
              "node "
                  + script
                  + " exited with "
                  + process.exitValue()
                  + "; stderr:\n"
                  + Files.readString(err, StandardCharsets.UTF_8));
        }
        return MAPPER.readTree(stdout);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run node " + script + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while node " + script + " ran", e);
    }
  }

  /** Fails, saying so, unless {@code node} on PATH is Node.js {@value #MIN_NODE_MAJOR} or newer. */
  static void requireNode() {
    String version;
    try {
      Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new AssertionError(
          "Node.js is not installed (no `node` on PATH"
              + (Boolean.parseBoolean(System.getenv("CI")) ? ", and this is CI" : "")
              + "): this test drives an npm client nobody here wrote against the emulator and needs"
              + " Node.js >= "
              + MIN_NODE_MAJOR
              + " with npm (Debian: apt-get install nodejs npm)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while asking node for its version", e);
    }
    int major;
    try {
      major = Integer.parseInt(version.replaceFirst("^v(\\d+)\\..*$", "$1"));
    } catch (NumberFormatException e) {
      throw new AssertionError("`node --version` answered '" + version + "', not vNN.x.y", e);
    }
    if (major < MIN_NODE_MAJOR) {
      throw new AssertionError(
          "Node.js " + version + " is too old: the pinned npm clients need Node.js >= " + MIN_NODE_MAJOR);
    }
  }
}
