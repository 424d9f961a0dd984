package dev.keyline.emulators.vault;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.UUID;
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
 * token, default random), {@code policies} (comma-separated {@code NAME=FILE} ACL policies, paths
 * relative to the module directory) and {@code kubernetes-role} ({@code ROLE[=JWT][:POLICY,...]},
 * as the {@code --kubernetes-role} option). With {@code kubernetes-role}, quarkus-vault logs in
 * through Kubernetes auth instead of using the root token: the resource writes the role's JWT (a
 * random one when none is given) to a temporary file and returns {@code
 * quarkus.vault.authentication.kubernetes.role} and {@code ...kubernetes.jwt-token-path} instead
 * of {@code quarkus.vault.authentication.client-token} (and {@code
 * quarkus.vault.tls.use-kubernetes-ca-cert=false}: there is no cluster CA file outside a pod), so
 * the service runs with exactly the role's policies. The injected emulator still has the root token ({@link VaultEmulator#token()}).
 *
 * <p>Why dev services are switched off: quarkus-vault would otherwise try to start a Vault
 * container, which is slow and needs Docker; the emulator is enough and is strict.
 */
public class VaultEmulatorResource implements QuarkusTestResourceLifecycleManager {

  private VaultEmulator.Config config = new VaultEmulator.Config();
  private boolean mountsGiven;
  private String kubernetesRole;
  private String kubernetesJwt;
  private Path jwtFile;
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
    String policies = initArgs.get("policies");
    if (policies != null && !policies.isBlank()) {
      for (String entry : policies.split(",")) {
        String[] nameAndFile = entry.trim().split("=", 2);
        if (nameAndFile.length < 2) {
          throw new IllegalArgumentException("policies needs NAME=FILE[,NAME=FILE], got " + entry);
        }
        configured.policyFile(nameAndFile[0].trim(), Path.of(nameAndFile[1].trim()));
      }
    }
    String role = initArgs.get("kubernetes-role");
    if (role != null && !role.isBlank()) {
      VaultEmulatorMain.RoleSpec spec = VaultEmulatorMain.parseRole(role.trim());
      kubernetesRole = spec.role();
      kubernetesJwt =
          spec.jwt() == null || spec.jwt().isEmpty()
              ? "vault-emulator-jwt-" + UUID.randomUUID()
              : spec.jwt();
      configured.kubernetesRole(kubernetesRole, kubernetesJwt, spec.policies());
    }
    config = configured;
  }

  @Override
  public Map<String, String> start() {
    emulator = VaultEmulator.start(config);
    Map<String, String> properties = new HashMap<>();
    properties.put("quarkus.vault.url", emulator.url());
    if (kubernetesRole == null) {
      properties.put("quarkus.vault.authentication.client-token", emulator.token());
    } else {
      try {
        jwtFile = Files.createTempFile("vault-emulator-jwt", ".token");
        Files.writeString(jwtFile, kubernetesJwt, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      properties.putAll(kubernetesAuthProperties(kubernetesRole, jwtFile));
    }
    properties.put("quarkus.vault.kv-secret-engine-version", "2");
    properties.put("quarkus.vault.devservices.enabled", "false");
    if (mountsGiven) {
      properties.put("quarkus.vault.kv-secret-engine-mount-path", emulator.mounts().get(0));
    }
    return properties;
  }

  /**
   * The quarkus-vault settings for Kubernetes auth against the emulator: {@code role} and the file
   * holding its JWT; also for harnesses that start a {@link VaultEmulator} themselves.
   */
  public static Map<String, String> kubernetesAuthProperties(String role, Path jwtFile) {
    return Map.of(
        "quarkus.vault.authentication.kubernetes.role", role,
        "quarkus.vault.authentication.kubernetes.jwt-token-path", jwtFile.toString(),
        // With Kubernetes auth quarkus-vault trusts the pod's cluster CA file by default, which a
        // test has not; the emulator is plain HTTP anyway.
        "quarkus.vault.tls.use-kubernetes-ca-cert", "false");
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
    if (jwtFile != null) {
      try {
        Files.deleteIfExists(jwtFile);
      } catch (IOException e) {
        // a temporary file: left for the OS
      }
      jwtFile = null;
    }
  }
}
