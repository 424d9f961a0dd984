package dev.keyline.emulators.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts and stops the server of one cluster with {@code pg_ctl}, as the cluster owner.
 *
 * <p>Why stopping is more than one command: {@code pg_ctl stop} returns once {@code
 * postmaster.pid} is gone, a moment before the server process has exited, and a fast shutdown
 * can hang on a stuck client. Stopping therefore escalates (fast, immediate, SIGKILL) and waits
 * for the process itself, so that the port is free and nothing is left running when it returns.
 */
final class PgCtl {

  static final Map<String, String> ENVIRONMENT = Map.of("LC_ALL", "C", "PGCONNECT_TIMEOUT", "10");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final PostgresBinaries binaries;
  private final ClusterOwner owner;
  private final ClusterDirectory cluster;

  PgCtl(PostgresBinaries binaries, ClusterOwner owner, ClusterDirectory cluster) {
    this.binaries = binaries;
    this.owner = owner;
    this.cluster = cluster;
  }

  /** Starts the server and waits until it accepts connections; exit code 0 when it does. */
  ClusterOwner.Result start() {
    return owner.run(
        TIMEOUT.plusSeconds(10),
        cluster.base(),
        ENVIRONMENT,
        List.of(
            binaries.program("pg_ctl").toString(),
            "-D", cluster.data().toString(),
            "-l", cluster.log().toString(),
            "-w",
            "-t", Long.toString(TIMEOUT.toSeconds()),
            "-s",
            "start"));
  }

  /**
   * Stops the server if one runs and waits for its process to end.
   *
   * @param graceful try a fast shutdown (clients disconnected, clean checkpoint) before an
   *     immediate one
   */
  void stop(boolean graceful) {
    Optional<ProcessHandle> postmaster =
        cluster.postmasterPid().stream().mapToObj(ProcessHandle::of).flatMap(Optional::stream).findFirst();
    if (postmaster.isEmpty() || !running(postmaster.get())) {
      return;
    }
    boolean stopped = false;
    if (graceful) {
      stopped = owner.run(STOP_TIMEOUT.plusSeconds(10), cluster.base(), ENVIRONMENT, stopCommand("fast")).exitCode() == 0;
    }
    if (!stopped && running(postmaster.get())) {
      owner.run(STOP_TIMEOUT.plusSeconds(10), cluster.base(), ENVIRONMENT, stopCommand("immediate"));
    }
    awaitExit(postmaster.get(), STOP_TIMEOUT);
  }

  /**
   * Waits until {@code process} has exited, killing it when it takes longer than {@code timeout}.
   *
   * <p>A process that exited but was not yet reaped (a zombie: the server was re-parented to
   * init, which may reap late) counts as exited; it holds no port and no memory.
   */
  static void awaitExit(ProcessHandle process, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running(process)) {
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Alive and not a zombie. */
  static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      int end = stat.lastIndexOf(')');
      return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
    } catch (IOException e) {
      return process.isAlive();
    }
  }

  /** The complete command line, owner switch included, for a stop run from outside the JVM. */
  List<String> stopCommandAsOwner(String mode) {
    return owner.asOwner(stopCommand(mode));
  }

  private List<String> stopCommand(String mode) {
    return List.of(
            binaries.program("pg_ctl").toString(),
            "-D", cluster.data().toString(),
            "-m", mode,
            "-w",
            "-t", Long.toString(STOP_TIMEOUT.toSeconds()),
            "-s",
            "stop");
  }
}
