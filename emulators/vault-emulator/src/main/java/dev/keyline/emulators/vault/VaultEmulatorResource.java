package dev.keyline.emulators.vault;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a {@link VaultEmulator} for a Quarkus test and points quarkus-vault at it:
 *
 * <pre>
 * &#64;QuarkusTest
 * &#64;QuarkusTestResource(VaultEmulatorResource.class)
 * class SomeTest {
 *   &#64;InjectVaultEmulator VaultEmulator vault;
 * }
 * </pre>
 *
 * Returns {@code quarkus.vault.url}, {@code quarkus.vault.authentication.client-token}, {@code
 * quarkus.vault.kv-secret-engine-version=2} and {@code quarkus.vault.devservices.enabled=false}.
 * Init args (optional): {@code mounts} (comma-separated KV v2 mounts, default {@code secret}; the
 * first also becomes {@code quarkus.vault.kv-secret-engine-mount-path}), {@code token} (root
 * token, default random).
 *
 * <p>Why dev services are switched off: quarkus-vault would otherwise try to start a Vault
 * container, which is slow and needs Docker; the emulator is enough and is strict.
 */
public class VaultEmulatorResource implements QuarkusTestResourceLifecycleManager {

  private VaultEmulator.Config config = new VaultEmulator.Config();
  private boolean mountsGiven;
  private VaultEmulator emulator;

  @Override
  public void init(Map<String, String> initArgs) {
    VaultEmulator.Config configured = new VaultEmulator.Config();
    String mounts = initArgs.get("mounts");
    if (mounts != null && !mounts.isBlank()) {
      configured.mount(mounts.split(","));
      mountsGiven = true;
    }
    String token = initArgs.get("token");
    if (token != null && !token.isBlank()) {
      configured.rootToken(token);
    }
    config = configured;
  }

  @Override
  public Map<String, String> start() {
    emulator = VaultEmulator.start(config);
    Map<String, String> properties = new HashMap<>();
    properties.put("quarkus.vault.url", emulator.url());
    properties.put("quarkus.vault.authentication.client-token", emulator.token());
    properties.put("quarkus.vault.kv-secret-engine-version", "2");
    properties.put("quarkus.vault.devservices.enabled", "false");
    if (mountsGiven) {
      properties.put("quarkus.vault.kv-secret-engine-mount-path", emulator.mounts().get(0));
    }
    return properties;
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        emulator,
        new TestInjector.AnnotatedAndMatchesType(InjectVaultEmulator.class, VaultEmulator.class));
  }

  @Override
  public void stop() {
    if (emulator != null) {
      emulator.close();
      emulator = null;
    }
  }
}
