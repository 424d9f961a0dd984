package dev.keyline.emulators.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StaleClustersTest {

  private final Path parent =
      Path.of("target", "stale-test-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();

  @AfterEach
  void removeParent() {
    new ClusterDirectory(parent).delete();
  }

  @Test
  void aRunningServerOfADeadJvmIsStoppedAndRemoved() throws Exception {
    EmbeddedPostgres orphan = EmbeddedPostgres.start(parent.resolve("embedded-pg-orphan"));
    ClusterDirectory cluster = new ClusterDirectory(orphan.directory());
    ProcessHandle postmaster = ProcessHandle.of(cluster.postmasterPid().orElseThrow()).orElseThrow();
    Files.writeString(cluster.marker(), PostgresResourceTest.deadPid() + "\n");

    try {
      assertThat(StaleClusters.removeAbandoned(parent)).isEqualTo(1);

      assertThat(PgCtl.running(postmaster)).isFalse();
      assertThat(orphan.directory()).doesNotExist();
    } finally {
      orphan.close();
    }
  }

  @Test
  void clustersOfLiveJvmsAndUnmarkedDirectoriesAreLeftAlone() throws Exception {
    try (EmbeddedPostgres live = EmbeddedPostgres.start(parent.resolve("embedded-pg-live"))) {
      Path unmarked = Files.createDirectories(parent.resolve("embedded-pg-unmarked"));
      Path otherName = Files.createDirectories(parent.resolve("something-else"));
      Files.writeString(otherName.resolve(ClusterDirectory.MARKER), PostgresResourceTest.deadPid() + "\n");

      assertThat(StaleClusters.removeAbandoned(parent)).isZero();

      assertThat(live.directory()).exists();
      assertThat(unmarked).exists();
      assertThat(otherName).exists();
    }
  }

  @Test
  void aMissingParentIsNothingToDo() {
    assertThat(StaleClusters.removeAbandoned(parent.resolve("absent"))).isZero();
  }
}
