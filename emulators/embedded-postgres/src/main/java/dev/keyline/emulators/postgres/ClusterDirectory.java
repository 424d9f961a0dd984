package dev.keyline.emulators.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.OptionalLong;

/**
 * The layout of one throwaway cluster: {@code data/}, {@code postgresql.log} and a marker file
 * naming the JVM that owns it.
 *
 * <p>Why a marker with the owner's pid: directories are only ever deleted when they carry the
 * marker (so a mistyped {@code --dir} cannot wipe someone's files), and a cluster is abandoned
 * exactly when its owning JVM is gone, which is how stale clusters of killed test runs are told
 * apart from live ones of parallel runs.
 */
record ClusterDirectory(Path base) {

  static final String MARKER = ".embedded-postgres";

  ClusterDirectory {
    base = base.toAbsolutePath().normalize();
  }

  Path data() {
    return base.resolve("data");
  }

  Path log() {
    return base.resolve("postgresql.log");
  }

  Path marker() {
    return base.resolve(MARKER);
  }

  boolean isMarked() {
    return Files.isRegularFile(marker());
  }

  /** Records the current JVM as the owner. */
  void claim() {
    try {
      Files.writeString(marker(), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  OptionalLong ownerPid() {
    return firstNumber(marker());
  }

  /** The postmaster's pid from {@code postmaster.pid}, when the file exists. */
  OptionalLong postmasterPid() {
    return firstNumber(data().resolve("postmaster.pid"));
  }

  boolean ownerAlive() {
    OptionalLong pid = ownerPid();
    return pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
  }

  /** True while the server process named in {@code postmaster.pid} runs (zombies do not count). */
  boolean postmasterAlive() {
    OptionalLong pid = postmasterPid();
    return pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(PgCtl::running).orElse(false);
  }

  /** The last lines of the server log, for error messages; empty when there is none. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /** Deletes the whole directory tree; a missing directory is fine. */
  void delete() {
    if (!Files.exists(base)) {
      return;
    }
    try {
      Files.walkFileTree(
          base,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new EmbeddedPostgresException("could not delete " + base, e);
    }
  }

  private static OptionalLong firstNumber(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
