package dev.keyline.emulators.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnowflakeEmulatorResourceTest {

  /** Stands in for a Quarkus test class. */
  static class FakeTest {
    @InjectSnowflakeEmulator SnowflakeEmulator snowflake;
    SnowflakeEmulator notAnnotated;
  }

  @Test
  void startsAnEmulatorWithTheSeedReturnsItsUrlAndInjectsIt(@TempDir Path dir) throws Exception {
    Path seed = Files.writeString(dir.resolve("seed.json"), SeedAndAdminTest.seed());
    SnowflakeEmulatorResource resource = new SnowflakeEmulatorResource();
    resource.init(Map.of("seed", seed.toString()));
    FakeTest test = new FakeTest();

    Map<String, String> config = resource.start();
    try {
      resource.inject(reflectiveInjector(test));

      assertThat(test.snowflake).isNotNull();
      assertThat(test.notAnnotated).isNull();
      assertThat(config)
          .containsEntry("keyline.test.snowflake.url", test.snowflake.url())
          .containsEntry("keyline.test.snowflake.jdbc-url", test.snowflake.jdbcUrl());
      assertThat(test.snowflake.account("SEEDED").users()).contains("SVC_SEED", "ADMIN");
    } finally {
      resource.stop();
    }
    assertThat(canConnect(test.snowflake.url())).isFalse();
  }

  private static boolean canConnect(String url) {
    try {
      new RawClient(url).send("GET", "/__admin/state", null);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** What Quarkus does: sets fields matching the predicate on the test instance. */
  private static TestInjector reflectiveInjector(Object testInstance) {
    return (fieldValue, predicate) -> {
      for (Field field : testInstance.getClass().getDeclaredFields()) {
        if (predicate.test(field)) {
          field.setAccessible(true);
          try {
            field.set(testInstance, fieldValue);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    };
  }
}
