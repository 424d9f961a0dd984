package dev.keyline.emulators.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresResourceTest {

  /** Stands in for a Quarkus test class. */
  static class FakeTest {
    @InjectEmbeddedPostgres EmbeddedPostgres postgres;
  }

  private final Path workingDirectory =
      Path.of("target", "resource-test-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();

  @AfterEach
  void removeWorkingDirectory() {
    new ClusterDirectory(workingDirectory).delete();
  }

  @Test
  void startsAClusterUnderTargetAndStopRemovesIt() throws SQLException, IOException {
    PostgresResource resource = new PostgresResource(name -> null, workingDirectory);
    resource.init(Map.of("database", "certificates"));
    FakeTest test = new FakeTest();

    Map<String, String> config = resource.start();
    try {
      resource.inject(reflectiveInjector(test));

      assertThat(config)
          .containsOnlyKeys(
              "quarkus.datasource.jdbc.url",
              "quarkus.datasource.username",
              "quarkus.datasource.password",
              "quarkus.datasource.devservices.enabled")
          .containsEntry("quarkus.datasource.username", "keyline")
          .containsEntry("quarkus.datasource.password", "keyline")
          .containsEntry("quarkus.datasource.devservices.enabled", "false");
      assertThat(config.get("quarkus.datasource.jdbc.url")).endsWith("/certificates");
      assertThat(test.postgres).isNotNull();
      assertThat(test.postgres.directory().getParent()).isEqualTo(workingDirectory.resolve("target"));
      assertThat(test.postgres.directory().getFileName().toString()).startsWith("embedded-pg-");
      DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"), "keyline", "keyline").close();
    } finally {
      resource.stop();
    }

    assertThat(clusters()).isEmpty();
  }

  @Test
  void anExternalDatabaseIsUsedInsteadOfStartingOne() throws IOException {
    Map<String, String> settings =
        Map.of(
            "KEYLINE_TEST_JDBC_URL", "jdbc:postgresql://db.example:5432/x",
            "KEYLINE_TEST_JDBC_USERNAME", "u",
            "KEYLINE_TEST_JDBC_PASSWORD", "p");
    PostgresResource resource = new PostgresResource(settings::get, workingDirectory);
    FakeTest test = new FakeTest();

    Map<String, String> config = resource.start();
    resource.inject(reflectiveInjector(test));
    resource.stop();

    assertThat(config)
        .containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://db.example:5432/x")
        .containsEntry("quarkus.datasource.username", "u")
        .containsEntry("quarkus.datasource.password", "p")
        .containsEntry("quarkus.datasource.devservices.enabled", "false");
    assertThat(test.postgres).isNull();
    assertThat(clusters()).isEmpty();
  }

  @Test
  void clustersAbandonedByDeadJvmsAreRemovedOnStart() throws Exception {
    Path target = Files.createDirectories(workingDirectory.resolve("target"));
    Path stale = Files.createDirectories(target.resolve("embedded-pg-stale"));
    Files.writeString(stale.resolve(ClusterDirectory.MARKER), deadPid() + "\n");
    Path foreign = Files.createDirectories(target.resolve("embedded-pg-foreign"));
    PostgresResource resource = new PostgresResource(name -> null, workingDirectory);

    resource.start();
    resource.stop();

    assertThat(stale).doesNotExist();
    assertThat(foreign).exists();
  }

  private Stream<Path> clusters() throws IOException {
    Path target = workingDirectory.resolve("target");
    if (!Files.exists(target)) {
      return Stream.empty();
    }
    return Files.list(target).filter(p -> p.getFileName().toString().startsWith("embedded-pg-")).toList().stream();
  }

  static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }

  private static TestInjector reflectiveInjector(Object testInstance) {
    return (value, predicate) -> {
      for (Field field : testInstance.getClass().getDeclaredFields()) {
        if (predicate.test(field)) {
          try {
            field.setAccessible(true);
            field.set(testInstance, value);
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        }
      }
    };
  }
}
