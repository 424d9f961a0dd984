package dev.keyline.emulators.snowflake;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Runs the emulator as a process for local runs of services:
 *
 * <pre>
 * java -jar target/snowflake-emulator.jar --port 18300 --seed seed.json
 * </pre>
 *
 * Options: {@code --port N} (0 or absent: a free port), {@code --seed FILE} (repeatable),
 * {@code --tls-keystore FILE.p12 --tls-password PW} (serve HTTPS with that PKCS#12 key store).
 *
 * <p>Why a single stdout line: scripts wait for {@code snowflake-emulator listening on URL} and
 * read the URL from it. The process runs until SIGTERM or SIGINT.
 */
public final class SnowflakeEmulatorMain {

  private SnowflakeEmulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    SnowflakeEmulator emulator;
    try {
      emulator = start(args, System.out);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("snowflake-emulator: " + e.getMessage());
      System.err.println(
          "usage: snowflake-emulator [--port N] [--seed FILE]... [--tls-keystore FILE.p12"
              + " --tls-password PW]");
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
                "snowflake-emulator-shutdown"));
    stopped.await();
  }

  /**
   * Parses {@code args}, starts the emulator and prints the listening line on {@code out}.
   *
   * @throws IllegalArgumentException for unknown options, bad values or a bad seed
   */
  static SnowflakeEmulator start(String[] args, PrintStream out) {
    SnowflakeEmulator.Config config = new SnowflakeEmulator.Config();
    String keystore = null;
    String password = null;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (option) {
        case "--port" -> config.port(parsePort(required(option, value)));
        case "--seed" -> config.seed(Path.of(required(option, value)));
        case "--tls-keystore" -> keystore = required(option, value);
        case "--tls-password" -> password = required(option, value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
      i++;
    }
    if (keystore != null) {
      config.tls(sslContext(Path.of(keystore), password == null ? new char[0] : password.toCharArray()));
    } else if (password != null) {
      throw new IllegalArgumentException("--tls-password needs --tls-keystore");
    }
    SnowflakeEmulator emulator = SnowflakeEmulator.start(config);
    out.println("snowflake-emulator listening on " + emulator.url());
    out.flush();
    return emulator;
  }

  private static SSLContext sslContext(Path file, char[] password) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use key store " + file + ": " + e.getMessage());
    }
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
