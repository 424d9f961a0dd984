package dev.keyline.emulators.vault;

import java.util.HashMap;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * {@code sys/health} and {@code sys/seal-status}, the unauthenticated endpoints that keep
 * answering while Vault is sealed.
 *
 * <p>Why separate from the logical router: in Vault these are raw HTTP handlers. They need no
 * token, report the seal state instead of failing on it, and only know GET (and HEAD for health);
 * any other method is a 405 with an empty error list.
 */
final class SystemEndpoints {

  /** The Vault version the emulator claims; build metadata marks it as not the real thing. */
  static final String VERSION = "1.19.0+emulator";

  private static final String CLUSTER_NAME = "vault-emulator";

  private final String clusterId;

  SystemEndpoints(String clusterId) {
    this.clusterId = clusterId;
  }

  static boolean handles(String path) {
    return path.equals("sys/health") || path.equals("sys/seal-status");
  }

  VaultResponse handle(String method, String path, String rawQuery, boolean sealed) {
    if (path.equals("sys/health")) {
      return health(method, rawQuery, sealed);
    }
    if (!method.equals("GET")) {
      return VaultResponse.errors(405);
    }
    return sealStatus(sealed);
  }

  private VaultResponse health(String method, String rawQuery, boolean sealed) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return VaultResponse.errors(405);
    }
    Map<String, String> query = queryOf(rawQuery);
    int status;
    try {
      status = sealed ? code(query, "sealedcode", 503) : code(query, "activecode", 200);
    } catch (NumberFormatException e) {
      return VaultResponse.errors(400, "unable to parse " + (sealed ? "sealedcode" : "activecode") + " code");
    }
    ObjectNode body = Json.object();
    body.put("initialized", true);
    body.put("sealed", sealed);
    body.put("standby", sealed);
    body.put("performance_standby", false);
    body.put("replication_performance_mode", sealed ? "unknown" : "disabled");
    body.put("replication_dr_mode", sealed ? "unknown" : "disabled");
    body.put("server_time_utc", Instant.now().getEpochSecond());
    body.put("version", VERSION);
    body.put("enterprise", false);
    if (!sealed) {
      body.put("cluster_name", CLUSTER_NAME);
      body.put("cluster_id", clusterId);
      body.put("echo_duration_ms", 0);
      body.put("clock_skew_ms", 0);
    }
    return VaultResponse.json(status, method.equals("HEAD") ? null : body);
  }

  private VaultResponse sealStatus(boolean sealed) {
    ObjectNode body = Json.object();
    body.put("type", "shamir");
    body.put("initialized", true);
    body.put("sealed", sealed);
    body.put("t", 1);
    body.put("n", 1);
    body.put("progress", 0);
    body.put("nonce", "");
    body.put("version", VERSION);
    body.put("build_date", "2025-03-04T17:41:18Z");
    body.put("migration", false);
    if (!sealed) {
      body.put("cluster_name", CLUSTER_NAME);
      body.put("cluster_id", clusterId);
    }
    body.put("recovery_seal", false);
    body.put("storage_type", "inmem");
    return VaultResponse.json(200, body);
  }

  private static int code(Map<String, String> query, String name, int fallback) {
    String value = query.get(name);
    return value == null || value.isEmpty() ? fallback : Integer.parseInt(value);
  }

  private static Map<String, String> queryOf(String rawQuery) {
    Map<String, String> query = new HashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.putIfAbsent(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return query;
  }
}
