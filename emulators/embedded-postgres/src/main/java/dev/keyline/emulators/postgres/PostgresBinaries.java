package dev.keyline.emulators.postgres;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL server programs: {@code PG_BIN} (environment variable or system property
 * {@code PG_BIN}) when set, else the newest {@code /usr/lib/postgresql/<version>/bin} (Debian and
 * Ubuntu), else the directory of {@code pg_ctl} on the {@code PATH}.
 *
 * <p>Why search instead of hard-coding 15: machines get upgraded; the newest installed major
 * version is what a developer expects to test against.
 *
 * @param directory contains {@code initdb}, {@code pg_ctl}, {@code postgres} and {@code psql}
 */
record PostgresBinaries(Path directory) {

  static final String OVERRIDE = "PG_BIN";
  private static final List<String> REQUIRED = List.of("initdb", "pg_ctl", "postgres", "psql");

  static PostgresBinaries locate() {
    String override = System.getProperty(OVERRIDE, System.getenv(OVERRIDE));
    if (override != null && !override.isBlank()) {
      return in(Path.of(override));
    }
    Optional<Path> debian = newestDebianInstall(Path.of("/usr/lib/postgresql"));
    if (debian.isPresent()) {
      return new PostgresBinaries(debian.get());
    }
    Optional<Path> onPath = onPath();
    if (onPath.isPresent()) {
      return new PostgresBinaries(onPath.get());
    }
    throw new EmbeddedPostgresException(
        "no PostgreSQL server binaries found (looked for /usr/lib/postgresql/*/bin and pg_ctl on"
            + " the PATH): install the server (apt-get install postgresql) or set "
            + OVERRIDE
            + " to the directory holding initdb and pg_ctl");
  }

  /** The binaries in an explicitly given directory, which must hold all needed programs. */
  static PostgresBinaries in(Path directory) {
    for (String program : REQUIRED) {
      if (!Files.isExecutable(directory.resolve(program))) {
        throw new EmbeddedPostgresException(
            "no executable " + program + " in " + directory + " (set via " + OVERRIDE + "?)");
      }
    }
    return new PostgresBinaries(directory);
  }

  Path program(String name) {
    return directory.resolve(name);
  }

  static Optional<Path> newestDebianInstall(Path root) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(version -> version.resolve("bin"))
          .filter(bin -> REQUIRED.stream().allMatch(p -> Files.isExecutable(bin.resolve(p))))
          .max(Comparator.comparing(bin -> bin.getParent().getFileName().toString(), PostgresBinaries::compareVersions));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> onPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      Path pgCtl = Path.of(entry).resolve("pg_ctl");
      if (Files.isExecutable(pgCtl)) {
        try {
          Path real = pgCtl.toRealPath().getParent();
          if (REQUIRED.stream().allMatch(p -> Files.isExecutable(real.resolve(p)))) {
            return Optional.of(real);
          }
        } catch (IOException e) {
          // try the next entry
        }
      }
    }
    return Optional.empty();
  }

  /** Compares "9.6", "15", "16" numerically, part by part. */
  static int compareVersions(String a, String b) {
    String[] left = a.split("\\.");
    String[] right = b.split("\\.");
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      int l = i < left.length ? number(left[i]) : 0;
      int r = i < right.length ? number(right[i]) : 0;
      if (l != r) {
        return Integer.compare(l, r);
      }
    }
    return 0;
  }

  private static int number(String part) {
    try {
      return Integer.parseInt(part);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
