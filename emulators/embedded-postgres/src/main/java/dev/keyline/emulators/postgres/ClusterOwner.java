package dev.keyline.emulators.postgres;

import java.nio.file.attribute.PosixFilePermissions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The OS user the cluster runs as, and how to run PostgreSQL programs as that user.
 *
 * <p>Why: {@code initdb} and {@code postgres} refuse to run as root, and tests here (and in CI)
 * run as root. Then the programs run as the {@code postgres} OS user through {@code runuser}, the
 * cluster's files are handed to that user, and every directory above them must be traversable by
 * it, which is checked up front so the failure names the directory instead of being an obscure
 * "permission denied" from initdb. As any other user the programs run directly.
 */
final class ClusterOwner {

  static final String POSTGRES_USER = "postgres";

  private final boolean switchUser;

  private ClusterOwner(boolean switchUser) {
    this.switchUser = switchUser;
  }

  static ClusterOwner forCurrentUser() {
    return new ClusterOwner(runningAsRoot());
  }

  boolean switchesUser() {
    return switchUser;
  }

  /** The command line that runs {@code command} as the cluster owner. */
  List<String> asOwner(List<String> command) {
    if (!switchUser) {
      return List.copyOf(command);
    }
    List<String> wrapped = new ArrayList<>(List.of(runuser(), "-u", POSTGRES_USER, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Gives files to the cluster owner (only needed, and only done, when running as root). */
  void handOver(Path... paths) {
    if (!switchUser) {
      return;
    }
    UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
    try {
      UserPrincipal user = lookup.lookupPrincipalByName(POSTGRES_USER);
      GroupPrincipal group;
      try {
        group = lookup.lookupPrincipalByGroupName(POSTGRES_USER);
      } catch (UserPrincipalNotFoundException e) {
        group = null;
      }
      for (Path path : paths) {
        PosixFileAttributeView view =
            Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(user);
        if (group != null) {
          view.setGroup(group);
        }
      }
    } catch (UserPrincipalNotFoundException e) {
      throw new EmbeddedPostgresException(
          "running as root, so PostgreSQL must run as the OS user '"
              + POSTGRES_USER
              + "' (initdb refuses root), but there is no such user: install the postgresql"
              + " package or create the user",
          e);
    } catch (IOException e) {
      throw new EmbeddedPostgresException("could not hand " + List.of(paths) + " to " + POSTGRES_USER, e);
    }
  }

  /**
   * Checks that the cluster owner can write {@code directory}, naming the first directory above
   * it that blocks the way when it cannot.
   */
  void checkCanWrite(Path directory) {
    if (!switchUser) {
      return;
    }
    Result result =
        run(
            Duration.ofSeconds(30),
            directory,
            Map.of(),
            List.of("test", "-w", directory.toString(), "-a", "-x", directory.toString()));
    if (result.exitCode() == 0) {
      return;
    }
    for (Path dir = directory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      try {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)
            && !ownedByPostgres(dir)) {
          throw new EmbeddedPostgresException(
              "the OS user '"
                  + POSTGRES_USER
                  + "' cannot reach "
                  + directory
                  + ": "
                  + dir
                  + " is not traversable by others (mode "
                  + PosixFilePermissions.toString(permissions)
                  + "); put the cluster below a directory every user can traverse, for instance"
                  + " under /tmp, or run chmod o+x "
                  + dir);
        }
      } catch (IOException e) {
        break;
      }
    }
    throw new EmbeddedPostgresException(
        "the OS user '" + POSTGRES_USER + "' cannot write " + directory + ": " + result.output());
  }

  /** Output and exit code of a finished program. */
  record Result(int exitCode, String output) {}

  /**
   * Runs {@code command} as the cluster owner, output and errors going to one captured text.
   *
   * <p>Output goes through a file rather than a pipe: {@code pg_ctl start} leaves a server running
   * and nothing it started may keep our pipe open, or reading would never end.
   */
  Result run(Duration timeout, Path workDir, Map<String, String> environment, List<String> command) {
    List<String> commandLine = asOwner(command);
    Path output = null;
    try {
      output = Files.createTempFile("embedded-pg-command", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(commandLine)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new EmbeddedPostgresException(
            "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", commandLine)
                + "\n" + Files.readString(output, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new EmbeddedPostgresException("could not run " + String.join(" ", commandLine), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedPostgresException("interrupted while running " + commandLine.get(0), e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // a stray temp file is harmless
        }
      }
    }
  }

  /** Like {@link #run} but failing, with the program's output, unless it exits with 0. */
  String runChecked(Duration timeout, Path workDir, Map<String, String> environment, List<String> command) {
    Result result = run(timeout, workDir, environment, command);
    if (result.exitCode() != 0) {
      throw new EmbeddedPostgresException(
          command.get(0) + " failed with exit code " + result.exitCode() + ": "
              + String.join(" ", command) + "\n" + result.output().strip());
    }
    return result.output();
  }

  private static boolean ownedByPostgres(Path dir) throws IOException {
    return Files.getOwner(dir).getName().equals(POSTGRES_USER);
  }

  private static String runuser() {
    for (String candidate : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return "runuser";
  }

  static boolean runningAsRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      if (uid instanceof Integer id) {
        return id == 0;
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // not Linux: fall back to the user name
    }
    return "root".equals(System.getProperty("user.name"));
  }
}
