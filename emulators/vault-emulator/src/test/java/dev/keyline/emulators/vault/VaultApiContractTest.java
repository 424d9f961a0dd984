package dev.keyline.emulators.vault;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Runs {@link VaultApiScenarios} against the emulator and, when {@code VAULT_ADDR} and {@code
 * VAULT_TOKEN} are set, against that real Vault too.
 *
 * <p>Why both: the emulator is only worth something while it answers like Vault; running the same
 * scenarios against the real server is how a difference gets noticed. For the real run the token
 * must be allowed everything on the mount (a root token in a dev server is simplest); the mount is
 * {@code VAULT_KV_MOUNT}, default {@code secret}, and must be KV version 2. Example:
 *
 * <pre>
 * vault server -dev -dev-root-token-id=root &amp;
 * VAULT_ADDR=http://127.0.0.1:8200 VAULT_TOKEN=root ./mvnw -pl emulators/vault-emulator test
 * </pre>
 */
class VaultApiContractTest {

  @Nested
  class AgainstEmulator extends VaultApiScenarios {

    private VaultEmulator emulator;

    @Override
    protected VaultTarget open() {
      emulator = VaultEmulator.start();
      return new VaultTarget(emulator.url(), emulator.token(), "secret");
    }

    @Override
    protected void close() {
      emulator.close();
    }
  }

  @Nested
  @EnabledIfEnvironmentVariable(named = "VAULT_ADDR", matches = ".+")
  @EnabledIfEnvironmentVariable(named = "VAULT_TOKEN", matches = ".+")
  class AgainstRealVault extends VaultApiScenarios {

    @Override
    protected VaultTarget open() {
      String mount = System.getenv().getOrDefault("VAULT_KV_MOUNT", "secret");
      return new VaultTarget(System.getenv("VAULT_ADDR"), System.getenv("VAULT_TOKEN"), mount);
    }
  }
}
