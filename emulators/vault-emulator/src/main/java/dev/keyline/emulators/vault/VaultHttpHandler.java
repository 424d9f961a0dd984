package dev.keyline.emulators.vault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes every HTTP request through the same steps as Vault, in Vault's order: raw system
 * endpoints, request parsing, seal check, unauthenticated logins, token check, ACL check (tokens
 * other than root), then the router (token endpoints, KV mounts, "no handler for route").
 *
 * <p>Why the order matters: it decides which error a client sees when several things are wrong
 * at once (a bad body without a token is a 400, a sealed Vault is a 503 even for a bad token, an
 * unknown mount is a 403 without a token and a 404 with one).
 *
 * <p>Faults and the request log wrap all of it, so a forced 500 or latency applies to every
 * endpoint, health included.
 */
final class VaultHttpHandler implements HttpHandler {

  private static final int RETAINED_REQUESTS = 10_000;
  private static final List<String> NOT_EMULATED_PREFIXES =
      List.of("sys/", "auth/token/", "cubbyhole/", "identity/");

  private final Map<String, KvV2Engine> mounts;
  private final List<String> mountsLongestFirst;
  private final TokenRegistry tokens;
  private final Map<String, AclPolicy> policies;
  private final KubernetesLogin kubernetes;
  private final SystemEndpoints system;
  private final FaultInjector faults;
  /**
   * Guarded by itself. An {@code ArrayDeque} under a lock rather than a concurrent deque: trimming
   * to {@link #RETAINED_REQUESTS} needs the size, which {@code ConcurrentLinkedDeque} counts by
   * walking all 10,000 nodes (a fifth of the emulator's CPU per request in a profile).
   */
  private final Deque<RecordedRequest> log = new ArrayDeque<>();
  private final AtomicLong requestCount = new AtomicLong();

  /**
   * @param policies the named ACL policies besides {@code default} (built in) and {@code root}
   * @param kubernetes {@code null} when the Kubernetes auth method is not enabled
   */
  VaultHttpHandler(
      Map<String, KvV2Engine> mounts,
      TokenRegistry tokens,
      Map<String, AclPolicy> policies,
      KubernetesLogin kubernetes,
      SystemEndpoints system,
      FaultInjector faults) {
    this.mounts = new LinkedHashMap<>(mounts);
    this.mountsLongestFirst = new ArrayList<>(mounts.keySet());
    this.mountsLongestFirst.sort(Comparator.comparingInt(String::length).reversed());
    this.tokens = tokens;
    this.policies = new HashMap<>(policies);
    this.policies.put(AclPolicy.DEFAULT.name(), AclPolicy.DEFAULT);
    this.kubernetes = kubernetes;
    this.system = system;
    this.faults = faults;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      VaultResponse response;
      try {
        response = answer(exchange);
      } catch (VaultApiException e) {
        response = e.response();
      } catch (RuntimeException e) {
        System.err.println("vault-emulator: internal error: " + e);
        e.printStackTrace();
        response = VaultResponse.errors(500, "internal error");
      }
      // Recorded before answering: a test that got its answer must find the request in the log.
      record(exchange, response.status());
      send(exchange, response);
    } finally {
      exchange.close();
    }
  }

  List<RecordedRequest> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  long requestCount() {
    return requestCount.get();
  }

  void clearRequests() {
    synchronized (log) {
      log.clear();
      requestCount.set(0);
    }
  }

  private VaultResponse answer(HttpExchange exchange) throws IOException {
    // Vault serves through Go's http.ServeMux, which answers a path with "." or ".." segments or
    // repeated slashes with a 301 to the cleaned path before Vault sees the request.
    String asSent = exchange.getRequestURI().getPath();
    if (asSent != null && !asSent.isEmpty()) {
      String cleaned = cleanPath(asSent);
      if (!cleaned.equals(asSent)) {
        exchange.getRequestBody().readAllBytes();
        String query = exchange.getRequestURI().getRawQuery();
        exchange.getResponseHeaders().set("Location", query == null ? cleaned : cleaned + "?" + query);
        return new VaultResponse(301, null);
      }
    }
    pauseForLatency();
    Integer forced = faults.takeForcedStatus();
    if (forced != null) {
      exchange.getRequestBody().readAllBytes();
      return VaultResponse.errors(forced, "vault-emulator: injected failure");
    }
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    if (path == null || !path.startsWith("/v1/")) {
      return VaultResponse.notFound();
    }
    String logicalPath = path.substring("/v1/".length());
    if (SystemEndpoints.handles(logicalPath)) {
      return system.handle(method, logicalPath, rawQuery, faults.sealed());
    }
    byte[] body = exchange.getRequestBody().readAllBytes();
    VaultRequest request =
        VaultRequest.parse(method, logicalPath, rawQuery, headers(exchange), body);
    if (faults.sealed()) {
      return VaultResponse.errors(503, "Vault is sealed");
    }
    if (kubernetes != null && request.path().equals("auth/kubernetes/login")) {
      return kubernetes.login(request);
    }
    TokenRegistry.Token token = tokens.lookup(request.token());
    if (token == null) {
      return VaultResponse.permissionDenied();
    }
    return route(request, token);
  }

  private VaultResponse route(VaultRequest request, TokenRegistry.Token token) {
    String path = request.path();
    String lookupPath = path.endsWith("/") ? path : path + "/";
    String mount = mountOf(lookupPath);
    if (!token.root() && !notEmulated(path, lookupPath, mount) && !permitted(request, token, mount)) {
      return VaultResponse.aclDenied();
    }
    if (path.equals("auth/token/lookup-self")) {
      return request.operation() == Operation.READ
          ? VaultResponse.data(
              200, request.requestId(), TokenRegistry.lookupData(token), "token")
          : VaultResponse.unsupportedOperation();
    }
    if (path.equals("auth/token/renew-self")) {
      if (request.operation() != Operation.UPDATE) {
        return VaultResponse.unsupportedOperation();
      }
      TokenRegistry.Token renewed = tokens.renew(token);
      if (renewed == null) {
        return VaultResponse.errors(400, "lease is not renewable");
      }
      return VaultResponse.envelope(
          200, request.requestId(), null, List.of(), TokenRegistry.authBlock(renewed), "token");
    }
    if (mount != null) {
      return mounts.get(mount).handle(subPath(path, mount), request);
    }
    if (notEmulated(path, lookupPath, null)) {
      return VaultResponse.errors(
          501, "vault-emulator: " + path + " exists in Vault but is not emulated");
    }
    return VaultResponse.errors(
        404, "no handler for route \"" + path + "\". route entry not found.");
  }

  /** The KV mount {@code lookupPath} (with a trailing slash) falls under, or {@code null}. */
  private String mountOf(String lookupPath) {
    for (String mount : mountsLongestFirst) {
      if (lookupPath.startsWith(mount + "/")) {
        return mount;
      }
    }
    return null;
  }

  private static String subPath(String path, String mount) {
    return path.length() <= mount.length() ? "" : path.substring(mount.length() + 1);
  }

  /**
   * A path Vault serves but the emulator does not: it answers 501 whatever the token, so that a
   * missing feature shows as such instead of as a 403 (Vault would check the ACL first).
   */
  private boolean notEmulated(String path, String lookupPath, String mount) {
    if (mount != null
        || path.equals("auth/token/lookup-self")
        || path.equals("auth/token/renew-self")) {
      return false;
    }
    return NOT_EMULATED_PREFIXES.stream().anyMatch(lookupPath::startsWith)
        || (kubernetes != null && lookupPath.startsWith("auth/kubernetes/"));
  }

  /**
   * Whether the token's policies grant the capability Vault derives from the request: GET read,
   * LIST (or {@code ?list=true}, path with its trailing slash) list, DELETE delete, PATCH patch,
   * POST/PUT create or update. As in Vault, a write is "create" only on paths whose backend has an
   * existence check and where nothing exists yet; for KV v2 that is {@code data/} and {@code
   * metadata/} with no metadata for the key ({@code vault-plugin-secrets-kv}'s
   * {@code dataExistenceCheck}); {@code delete/}, {@code undelete/}, {@code destroy/} and
   * {@code renew-self} are always "update". HEAD maps to no capability and is refused.
   */
  private boolean permitted(VaultRequest request, TokenRegistry.Token token, String mount) {
    Capability needed =
        switch (request.operation()) {
          case READ -> Capability.READ;
          case LIST -> Capability.LIST;
          case DELETE -> Capability.DELETE;
          case PATCH -> Capability.PATCH;
          case UPDATE -> {
            Boolean exists =
                mount == null ? null : mounts.get(mount).exists(subPath(request.path(), mount));
            yield exists == null || exists ? Capability.UPDATE : Capability.CREATE;
          }
          case HEADER -> null;
        };
    if (needed == null) {
      return false;
    }
    List<AclPolicy> granted = new ArrayList<>();
    for (String name : token.policies()) {
      AclPolicy policy = policies.get(name);
      if (policy != null) {
        granted.add(policy);
      }
    }
    return new Acl(granted).allows(request.path(), needed);
  }

  private void pauseForLatency() {
    Duration latency = faults.latency();
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new HashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                headers.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0));
              }
            });
    return headers;
  }

  /** Go's {@code cleanPath}: "." and empty segments dropped, ".." resolved, a trailing slash kept. */
  static String cleanPath(String path) {
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    String cleaned = "/" + String.join("/", segments);
    return path.endsWith("/") && !cleaned.equals("/") ? cleaned + "/" : cleaned;
  }

  private static void send(HttpExchange exchange, VaultResponse response) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (response.body() == null || response.status() == 204) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    byte[] bytes = Json.MAPPER.writeValueAsBytes(response.body());
    if (head) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void record(HttpExchange exchange, int status) {
    RecordedRequest request =
        new RecordedRequest(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(),
            status);
    synchronized (log) {
      requestCount.incrementAndGet();
      log.addLast(request);
      if (log.size() > RETAINED_REQUESTS) {
        log.pollFirst();
      }
    }
  }
}
