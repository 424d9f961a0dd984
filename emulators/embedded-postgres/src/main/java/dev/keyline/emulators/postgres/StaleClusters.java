package dev.keyline.emulators.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Stops and removes clusters left behind by test JVMs that died without cleaning up.
 *
 * <p>Why: the shutdown hook and the watchdog cover almost every way a JVM ends, but a machine
 * reboot or a killed watchdog still leaves {@code target/embedded-pg-*} directories, possibly with
 * a running server holding a port. A cluster is abandoned exactly when the JVM named in its
 * marker is gone; clusters of live JVMs (parallel forks) are left alone. Best effort: problems are
 * reported on stderr, never thrown.
 */
public final class StaleClusters {

  public static final String PREFIX = "embedded-pg-";

  private StaleClusters() {}

  /**
   * Cleans every abandoned {@code embedded-pg-*} directory directly inside {@code parent}.
   *
   * @return how many were removed
   */
  public static int removeAbandoned(Path parent) {
    if (!Files.isDirectory(parent)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> children = Files.list(parent)) {
      for (Path child : children.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
        ClusterDirectory cluster = new ClusterDirectory(child);
        if (!cluster.isMarked() || cluster.ownerAlive()) {
          continue;
        }
        try {
          if (cluster.postmasterAlive()) {
            new PgCtl(PostgresBinaries.locate(), ClusterOwner.forCurrentUser(), cluster).stop(false);
          }
          cluster.delete();
          removed++;
        } catch (RuntimeException e) {
          System.err.println("embedded-postgres: could not remove stale cluster " + child + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      System.err.println("embedded-postgres: could not look for stale clusters in " + parent + ": " + e);
    }
    return removed;
  }
}
