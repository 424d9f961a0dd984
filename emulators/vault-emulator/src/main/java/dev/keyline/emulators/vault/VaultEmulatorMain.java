package dev.keyline.emulators.vault;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator as a process for local runs of services:
 *
 * <pre>
 * java -jar target/vault-emulator-*.jar --port 8200 --token xyz --mount secret
 * </pre>
 *
 * Options: {@code --port N} (0 or absent: a free port), {@code --token T} (absent: random, printed
 * on stderr), {@code --token-file FILE} (the token read from a file: a command line is visible to
 * every user of the machine through {@code ps}, a mode-600 file is not; ./run-local uses it), {@code --mount PATH} (repeatable or comma-separated; default {@code secret}), {@code
 * --policy NAME=FILE} (repeatable; an ACL policy in HCL), {@code --kubernetes-role
 * ROLE[=JWT|=@FILE][:POLICY,...]} (repeatable; enables Kubernetes login, tokens get {@code default}
 * and the policies named; {@code =@FILE} reads the role's JWT from a file, for the same reason as
 * {@code --token-file}: whoever has the JWT logs in as the role).
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
          "usage: vault-emulator [--port N] [--token T | --token-file FILE] [--mount PATH]... [--policy NAME=FILE]..."
              + " [--kubernetes-role ROLE[=JWT|=@FILE][:POLICY,...]]...");
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
        case "--token-file" -> {
          config.rootToken(readToken(option, required(option, value)));
          tokenGiven = true;
        }
        case "--mount" -> config.mount(required(option, value).split(","));
        case "--policy" -> {
          String[] nameAndFile = required(option, value).split("=", 2);
          if (nameAndFile.length < 2 || nameAndFile[0].isBlank() || nameAndFile[1].isBlank()) {
            throw new IllegalArgumentException("--policy needs NAME=FILE, got " + value);
          }
          config.policyFile(nameAndFile[0], Path.of(nameAndFile[1]));
        }
        case "--kubernetes-role" -> parseRole(required(option, value)).applyTo(config);
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

  /**
   * {@code ROLE[=JWT][:POLICY,...]}, also {@code ROLE:POLICY,...} with no JWT. A JWT never holds a
   * colon (base64url and dots), so the last colon starts the policies. {@code ROLE=@FILE} takes the
   * JWT from FILE (one token, one line; a JWT never starts with {@code @}); a FILE with a colon in
   * it needs the {@code :POLICY} part, or its last colon would be taken for it.
   */
  static RoleSpec parseRole(String value) {
    String roleAndJwt = value;
    String[] policies = new String[0];
    int colon = value.lastIndexOf(':');
    if (colon >= 0) {
      roleAndJwt = value.substring(0, colon);
      policies = value.substring(colon + 1).split(",");
    }
    String[] parts = roleAndJwt.split("=", 2);
    String jwt = parts.length > 1 ? parts[1] : null;
    if (jwt != null && jwt.startsWith("@")) {
      jwt = readToken("--kubernetes-role " + parts[0] + ": JWT file", jwt.substring(1));
    }
    return new RoleSpec(parts[0], jwt, policies);
  }

  /** A parsed {@code --kubernetes-role}; {@code jwt} is {@code null} when none was given. */
  record RoleSpec(String role, String jwt, String[] policies) {
    void applyTo(VaultEmulator.Config config) {
      config.kubernetesRole(role, jwt, policies);
    }
  }

  private static String required(String option, String value) {
    if (value == null || value.startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  /** One token on one line from {@code file}; {@code what} names the option in the errors. */
  private static String readToken(String what, String file) {
    String token;
    try {
      token = Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " " + file + " cannot be read: " + e.getMessage());
    }
    if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(what + " " + file + " must hold one token on one line");
    }
    return token;
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port needs a number, got " + value);
    }
  }
}
