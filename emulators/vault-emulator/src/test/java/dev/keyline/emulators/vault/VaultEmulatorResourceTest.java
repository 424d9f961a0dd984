package dev.keyline.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector;
import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VaultEmulatorResourceTest {

  /** Stands in for a Quarkus test class. */
  static class FakeTest {
    @InjectVaultEmulator VaultEmulator vault;
    VaultEmulator notAnnotated;
  }

  @Test
  void startsAnEmulatorConfiguresQuarkusVaultAndInjectsIt() {
    VaultEmulatorResource resource = new VaultEmulatorResource();
    resource.init(Map.of());
    FakeTest test = new FakeTest();

    Map<String, String> config = resource.start();
    try {
      resource.inject(reflectiveInjector(test));

      assertThat(config)
          .containsOnlyKeys(
              "quarkus.vault.url",
              "quarkus.vault.authentication.client-token",
              "quarkus.vault.kv-secret-engine-version",
              "quarkus.vault.devservices.enabled")
          .containsEntry("quarkus.vault.kv-secret-engine-version", "2")
          .containsEntry("quarkus.vault.devservices.enabled", "false");
      assertThat(test.vault).isNotNull();
      assertThat(test.notAnnotated).isNull();
      assertThat(config.get("quarkus.vault.url")).isEqualTo(test.vault.url());
      assertThat(config.get("quarkus.vault.authentication.client-token"))
          .isEqualTo(test.vault.token());
      VaultHttp vault =
          new VaultHttp(
              config.get("quarkus.vault.url"),
              config.get("quarkus.vault.authentication.client-token"));
      assertThat(vault.get("auth/token/lookup-self").status()).isEqualTo(200);
    } finally {
      resource.stop();
    }

    assertThat(new VaultHttp(test.vault.url(), null).canConnect()).isFalse();
  }

  @Test
  void initArgsChooseMountsAndToken() {
    VaultEmulatorResource resource = new VaultEmulatorResource();
    resource.init(Map.of("mounts", "kv,other", "token", "given"));

    Map<String, String> config = resource.start();
    try {
      assertThat(config)
          .containsEntry("quarkus.vault.authentication.client-token", "given")
          .containsEntry("quarkus.vault.kv-secret-engine-mount-path", "kv");
      VaultHttp vault = new VaultHttp(config.get("quarkus.vault.url"), "given");
      assertThat(vault.post("other/data/a", "{\"data\":{\"x\":\"y\"}}").status()).isEqualTo(200);
    } finally {
      resource.stop();
    }
  }

  /** Does what Quarkus' injector does: sets every matching field of the test instance. */
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
