package dev.keyline.emulators.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void aKubernetesRoleReplacesTheRootTokenWithALoginHeldToThePolicies(@TempDir Path dir)
      throws Exception {
    Path policy = dir.resolve("svc.hcl");
    Files.writeString(policy, "path \"secret/data/svc/*\" { capabilities = [\"create\", \"read\"] }\n");
    VaultEmulatorResource resource = new VaultEmulatorResource();
    resource.init(Map.of("policies", "svc=" + policy, "kubernetes-role", "svc:svc"));
    FakeTest test = new FakeTest();

    Map<String, String> config = resource.start();
    Path jwtFile = Path.of(config.get("quarkus.vault.authentication.kubernetes.jwt-token-path"));
    try {
      resource.inject(reflectiveInjector(test));
      assertThat(config)
          .doesNotContainKey("quarkus.vault.authentication.client-token")
          .containsEntry("quarkus.vault.authentication.kubernetes.role", "svc")
          .containsEntry("quarkus.vault.tls.use-kubernetes-ca-cert", "false");
      String jwt = Files.readString(jwtFile);
      VaultHttp anonymous = new VaultHttp(config.get("quarkus.vault.url"), null);
      VaultHttp svc = anonymous.withToken(AclPolicyTest.login(anonymous, "svc", jwt));
      assertThat(anonymous.post("auth/kubernetes/login", "{\"role\":\"svc\",\"jwt\":\"other\"}").status())
          .isEqualTo(403);
      assertThat(svc.post("secret/data/svc/a", "{\"data\":{\"x\":\"y\"}}").status()).isEqualTo(200);
      assertThat(svc.get("secret/data/other").status()).isEqualTo(403);
      // The injected emulator keeps the root token for the test's own checks.
      assertThat(new VaultHttp(test.vault.url(), test.vault.token()).get("secret/data/svc/a").status())
          .isEqualTo(200);
    } finally {
      resource.stop();
    }
    assertThat(jwtFile).doesNotExist();
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
