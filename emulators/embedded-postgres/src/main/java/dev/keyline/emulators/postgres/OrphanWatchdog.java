package dev.keyline.emulators.postgres;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny shell process that stops the cluster and removes its directory once the owning JVM is
 * gone, however it went.
 *
 * <p>Why: a shutdown hook does not run when the JVM is killed with SIGKILL (a surefire timeout, an
 * IDE's stop button, the OOM killer), and a postgres server outlives its parent. The watchdog
 * polls the JVM's pid once a second and does the clean-up itself; {@link #stop()} ends it when
 * the cluster is closed normally.
 */
final class OrphanWatchdog {

  private static final String SCRIPT =
      "pid=$1; base=$2; shift 2\n"
          + "while kill -0 \"$pid\" 2>/dev/null || [ -d \"/proc/$pid\" ]; do sleep 1; done\n"
          + "\"$@\" >/dev/null 2>&1\n"
          + "rm -rf \"$base\"\n";

  private final Process process;

  private OrphanWatchdog(Process process) {
    this.process = process;
  }

  /**
   * @param stopCommand the complete command line that stops the server
   * @return {@code null} when no shell could be started (the shutdown hook still applies)
   */
  static OrphanWatchdog watch(ClusterDirectory cluster, List<String> stopCommand) {
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "embedded-pg-watchdog"));
    command.add(Long.toString(ProcessHandle.current().pid()));
    command.add(cluster.base().toString());
    command.addAll(stopCommand);
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      return new OrphanWatchdog(process);
    } catch (IOException e) {
      System.err.println("embedded-postgres: no orphan watchdog (" + e.getMessage() + ")");
      return null;
    }
  }

  void stop() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }
}
