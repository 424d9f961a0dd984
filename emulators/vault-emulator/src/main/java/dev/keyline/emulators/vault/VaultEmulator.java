package dev.keyline.emulators.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A strict, in-process stand-in for HashiCorp Vault: token auth and KV version 2 over the real
 * HTTP API, on 127.0.0.1.
 *
 * <p>Why strict: an emulator that accepts anything proves nothing. This one answers like Vault
 * does, including its rejections: 403 for a missing or wrong token, 400 for a failed
 * check-and-set, 404 with metadata for a soft-deleted version, 404 for an empty list, 503 while
 * sealed. {@code VaultApiContractTest} runs the same scenarios against it and, when configured,
 * against a real Vault to keep it honest.
 *
 * <p>Why fault injection and read access: tests of the unhappy paths need a sealed or failing
 * Vault on demand, and tests of clean-up need to see what is stored without the API under test.
 *
 * <p>ACL policies: tokens other than root are held to their policies ({@link Acl}), for the subset
 * of policy HCL in {@link AclPolicy}. Not emulated: other secrets engines and auth methods,
 * response wrapping, namespaces. Such paths answer 501 so that a missing feature is
 * obvious rather than silently different.
 */
public final class VaultEmulator implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final String rootToken;
  private final Map<String, KvV2Engine> mounts;
  private final FaultInjector faults;
  private final VaultHttpHandler handler;

  private VaultEmulator(Config config) throws IOException {
    this.rootToken = config.rootToken == null ? TokenRegistry.newTokenId() : config.rootToken;
    this.mounts = new LinkedHashMap<>();
    for (String mount : config.mounts.isEmpty() ? List.of("secret") : config.mounts) {
      mounts.put(mount, new KvV2Engine());
    }
    this.faults = new FaultInjector();
    TokenRegistry tokens = new TokenRegistry(rootToken);
    config.kubernetesRoles.forEach(
        (role, binding) -> {
          for (String policy : binding.policies()) {
            if (!policy.equals("default") && !config.policies.containsKey(policy)) {
              throw new IllegalArgumentException(
                  "Kubernetes role \""
                      + role
                      + "\" names policy \""
                      + policy
                      + "\", which was not loaded (policies: "
                      + config.policies.keySet()
                      + ")");
            }
          }
        });
    KubernetesLogin kubernetes =
        config.kubernetesRoles.isEmpty()
            ? null
            : new KubernetesLogin(config.kubernetesRoles, config.kubernetesTokenTtl, tokens);
    this.handler =
        new VaultHttpHandler(
            mounts,
            tokens,
            config.policies,
            kubernetes,
            new SystemEndpoints(UUID.randomUUID().toString()),
            faults);
    this.server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), config.port),
            64);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", handler);
    server.start();
  }

  /**
   * Starts an emulator on a free port with a random root token and one KV v2 mount "secret".
   *
   * @throws IllegalArgumentException when a Kubernetes role names a policy that was not loaded
   */
  public static VaultEmulator start() {
    return start(new Config());
  }

  public static VaultEmulator start(Config config) {
    try {
      return new VaultEmulator(config);
    } catch (IOException e) {
      throw new UncheckedIOException("vault-emulator could not listen on port " + config.port, e);
    }
  }

  /** The base address clients use, for instance {@code http://127.0.0.1:8200}; no trailing slash. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The root token; it never expires. */
  public String token() {
    return rootToken;
  }

  /** The KV v2 mount paths, without slashes. */
  public List<String> mounts() {
    return List.copyOf(mounts.keySet());
  }

  // ---- faults ------------------------------------------------------------------------------

  /**
   * Seals or unseals. While sealed every request answers 503 {@code {"errors":["Vault is
   * sealed"]}}, except {@code sys/health} (503 with {@code "sealed":true}) and {@code
   * sys/seal-status} (200), as with Vault.
   */
  public void setSealed(boolean sealed) {
    faults.sealed(sealed);
  }

  public boolean isSealed() {
    return faults.sealed();
  }

  /**
   * Makes the next {@code count} requests, whatever they are, answer {@code status} with {@code
   * {"errors":["vault-emulator: injected failure"]}}. Calls add up.
   */
  public void failNextRequests(int count, int status) {
    faults.failNext(count, status);
  }

  /** Delays every answer by {@code latency}; {@link Duration#ZERO} turns it off. */
  public void setLatency(Duration latency) {
    faults.latency(latency);
  }

  /** Unseals, removes latency and drops pending injected failures. */
  public void clearFaults() {
    faults.clear();
  }

  // ---- request log -------------------------------------------------------------------------

  /** The answered requests, oldest first (the last 10,000 are kept); no headers, no bodies. */
  public List<RecordedRequest> requests() {
    return handler.requests();
  }

  /** How many requests were answered since start or the last {@link #clearRequests()}. */
  public long requestCount() {
    return handler.requestCount();
  }

  /** How many of the retained requests had this method and exact path. */
  public long requestCount(String method, String path) {
    return handler.requests().stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .count();
  }

  public void clearRequests() {
    handler.clearRequests();
  }

  // ---- stored data -------------------------------------------------------------------------

  /**
   * Every key that has metadata, as {@code mount/path} (for instance {@code secret/app/db}),
   * sorted. Soft-deleted and destroyed keys stay until their metadata is deleted, as in Vault.
   */
  public Set<String> secretPaths() {
    Set<String> paths = new TreeSet<>();
    mounts.forEach((mount, engine) -> engine.keyPaths().forEach(p -> paths.add(mount + "/" + p)));
    return Collections.unmodifiableSet(paths);
  }

  /** The keys of one mount, without the mount prefix. */
  public Set<String> secretPaths(String mount) {
    return Collections.unmodifiableSet(engine(mount).keyPaths());
  }

  /** The retained versions of a key by number; empty when the key has no metadata. */
  public SortedMap<Integer, SecretVersion> versions(String mount, String path) {
    return engine(mount).versions(path);
  }

  /**
   * Stores a new version directly, without token or CAS, to seed data a service expects to find.
   *
   * @return the new version number
   */
  public int writeSecret(String mount, String path, Map<String, ?> data) {
    ObjectNode node = Json.MAPPER.valueToTree(data);
    return engine(mount).write(path, node);
  }

  /** Stops listening and drops all state. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private KvV2Engine engine(String mount) {
    KvV2Engine engine = mounts.get(Config.normalizeMount(mount));
    if (engine == null) {
      throw new IllegalArgumentException("no KV v2 mount '" + mount + "', mounts are " + mounts());
    }
    return engine;
  }

  /**
   * What to start: port, root token, KV v2 mounts and optional Kubernetes auth roles. Defaults: a
   * free port, a random root token, one mount {@code secret}, no Kubernetes auth.
   */
  public static final class Config {

    private static final Set<String> RESERVED = Set.of("sys", "auth", "cubbyhole", "identity");

    private int port;
    private String rootToken;
    private final List<String> mounts = new ArrayList<>();
    private final Map<String, KubernetesLogin.Role> kubernetesRoles = new LinkedHashMap<>();
    private final Map<String, AclPolicy> policies = new LinkedHashMap<>();
    private Duration kubernetesTokenTtl = Duration.ofHours(1);

    /** 0 (the default) picks a free port. */
    public Config port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    public Config rootToken(String rootToken) {
      if (rootToken == null || rootToken.isBlank()) {
        throw new IllegalArgumentException("root token must not be blank");
      }
      this.rootToken = rootToken;
      return this;
    }

    /**
     * Adds KV v2 mounts (for instance {@code "secret"} or {@code "kv/team"}). Giving any replaces
     * the default {@code secret}.
     */
    public Config mount(String... paths) {
      for (String path : paths) {
        String mount = normalizeMount(path);
        if (mount.isEmpty() || RESERVED.contains(mount.split("/", 2)[0])) {
          throw new IllegalArgumentException("cannot mount a KV engine at '" + path + "'");
        }
        for (String existing : mounts) {
          if (existing.equals(mount)
              || existing.startsWith(mount + "/")
              || mount.startsWith(existing + "/")) {
            throw new IllegalArgumentException(
                "mount '" + mount + "' conflicts with existing mount '" + existing + "'");
          }
        }
        mounts.add(mount);
      }
      return this;
    }

    /**
     * Enables {@code auth/kubernetes/login} for {@code role}.
     *
     * @param jwt the only service account JWT accepted for the role; {@code null} or empty
     *     accepts any non-empty JWT
     * @param policies the policies its tokens get besides {@code default} (Vault's role setting
     *     {@code token_policies}); each must be loaded with {@link #policy} before {@link
     *     VaultEmulator#start(Config)}. None: the token may only look itself up and renew itself.
     */
    public Config kubernetesRole(String role, String jwt, String... policies) {
      if (role == null || role.isBlank()) {
        throw new IllegalArgumentException("role must not be blank");
      }
      for (String policy : policies) {
        if (policy == null || policy.isBlank()) {
          throw new IllegalArgumentException("role " + role + ": policy names must not be blank");
        }
      }
      kubernetesRoles.put(role, new KubernetesLogin.Role(jwt, List.of(policies)));
      return this;
    }

    /**
     * Loads an ACL policy named {@code name} from HCL text (the subset described in the README:
     * {@code path "..." { capabilities = [...] }} blocks and comments).
     *
     * @throws IllegalArgumentException for anything outside that subset, naming the line
     */
    public Config policy(String name, String hcl) {
      return addPolicy(AclPolicy.parse(name, hcl, "text"));
    }

    /** Like {@link #policy(String, String)}, from a file such as {@code deploy/vault/policies/x.hcl}. */
    public Config policyFile(String name, Path file) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read policy file " + file + ": " + e, e);
      }
      return addPolicy(AclPolicy.parse(name, text, file.toString()));
    }

    private Config addPolicy(AclPolicy policy) {
      if (policies.putIfAbsent(policy.name(), policy) != null) {
        throw new IllegalArgumentException("policy \"" + policy.name() + "\" given twice");
      }
      return this;
    }

    /** Lease of tokens issued by Kubernetes login; default one hour. */
    public Config kubernetesTokenTtl(Duration ttl) {
      if (ttl == null || ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("token TTL must be positive: " + ttl);
      }
      this.kubernetesTokenTtl = ttl;
      return this;
    }

    static String normalizeMount(String path) {
      String mount = path == null ? "" : path.trim();
      while (mount.startsWith("/")) {
        mount = mount.substring(1);
      }
      while (mount.endsWith("/")) {
        mount = mount.substring(0, mount.length() - 1);
      }
      return mount;
    }
  }
}
