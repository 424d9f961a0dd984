package dev.keyline.emulators.vault;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator as a process for local runs of services:
 *
 * <pre>
 * java -jar target/vault-emulator-*.jar --port 8200 --token xyz --mount secret
 * </pre>
 *
 * Options: {@code --port N} (0 or absent: a free port), {@code --token T} (absent: random, printed
 * on stderr), {@code --mount PATH} (repeatable or comma-separated; default {@code secret}), {@code
 * --kubernetes-role ROLE[=JWT]} (repeatable; enables Kubernetes login).
 *
 * <p>Why a single stdout line: scripts wait for {@code vault-emulator listening on URL} and read
 * the URL from it. The process runs until SIGTERM or SIGINT.
 */
public final class VaultEmulatorMain {

  private VaultEmulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    VaultEmulator emulator;
    try {
      emulator = start(args, System.out, System.err);
    } catch (IllegalArgumentException e) {
      System.err.println("vault-emulator: " + e.getMessage());
      System.err.println(
          "usage: vault-emulator [--port N] [--token T] [--mount PATH]... [--kubernetes-role"
              + " ROLE[=JWT]]...");
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  stopped.countDown();
                },
                "vault-emulator-shutdown"));
    stopped.await();
  }

  /**
   * Parses {@code args}, starts the emulator and prints the listening line on {@code out}.
   *
   * @throws IllegalArgumentException for unknown options or bad values
   */
  static VaultEmulator start(String[] args, PrintStream out, PrintStream err) {
    VaultEmulator.Config config = new VaultEmulator.Config();
    boolean tokenGiven = false;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (option) {
        case "--port" -> config.port(parsePort(required(option, value)));
        case "--token" -> {
          config.rootToken(required(option, value));
          tokenGiven = true;
        }
        case "--mount" -> config.mount(required(option, value).split(","));
        case "--kubernetes-role" -> {
          String[] roleAndJwt = required(option, value).split("=", 2);
          config.kubernetesRole(roleAndJwt[0], roleAndJwt.length > 1 ? roleAndJwt[1] : null);
        }
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
      i++;
    }
    VaultEmulator emulator = VaultEmulator.start(config);
    if (!tokenGiven) {
      err.println("vault-emulator root token: " + emulator.token());
    }
    out.println("vault-emulator listening on " + emulator.url());
    out.flush();
    return emulator;
  }

  private static String required(String option, String value) {
    if (value == null || value.startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port needs a number, got " + value);
    }
  }
}
