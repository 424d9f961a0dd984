package dev.keyline.emulators.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.emulators.vault.KeyMetadata.StoredVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One KV version 2 secrets engine mount: routes a request below the mount to the path Vault's
 * plugin would pick and answers as that plugin does, including its error texts and its
 * catch-all path for everything else.
 *
 * <p>Why so literal: a service that works against a lenient fake can still fail in production on
 * CAS conflicts, on soft-deleted versions (404 with metadata) or on an empty list (404). The
 * patterns and messages here are those of {@code vault-plugin-secrets-kv}.
 *
 * <p>Thread-safety: every public entry point is synchronized on the engine.
 */
final class KvV2Engine {

  private static final Pattern DATA = Pattern.compile("data/(.*?[^/])");
  private static final Pattern SUBKEYS = Pattern.compile("subkeys/(.*?[^/])");
  private static final Pattern METADATA = Pattern.compile("metadata/(.*)");
  private static final Pattern DELETE = Pattern.compile("delete/(.*)");
  private static final Pattern UNDELETE = Pattern.compile("undelete/(.*)");
  private static final Pattern DESTROY = Pattern.compile("destroy/(.*)");
  private static final String MOUNT_TYPE = "kv";
  private static final String CUSTOM_METADATA_ERROR = "custom_metadata validation failed";
  private static final int MAX_CUSTOM_METADATA_KEYS = 64;
  private static final int MAX_CUSTOM_METADATA_KEY_LENGTH = 128;
  private static final int MAX_CUSTOM_METADATA_VALUE_LENGTH = 512;

  private final TreeMap<String, KeyMetadata> keys = new TreeMap<>();
  private int maxVersions;
  private boolean casRequired;
  private Duration deleteVersionAfter = Duration.ZERO;

  /**
   * Handles a request whose path is {@code sub} below this mount.
   *
   * @throws VaultApiException for invalid input, as Vault answers it
   */
  synchronized VaultResponse handle(String sub, VaultRequest request) {
    Operation op = request.operation();
    if (sub.equals("config")) {
      return switch (op) {
        case READ -> readConfig(request);
        case UPDATE -> writeConfig(request);
        default -> VaultResponse.unsupportedOperation();
      };
    }
    Matcher m;
    if ((m = DATA.matcher(sub)).matches()) {
      String key = m.group(1);
      return switch (op) {
        case READ -> readData(request, key);
        case UPDATE -> writeData(request, key);
        case DELETE -> deleteLatest(key);
        case PATCH -> patchData(request, key);
        default -> VaultResponse.unsupportedOperation();
      };
    }
    if ((m = METADATA.matcher(sub)).matches()) {
      String key = m.group(1);
      return switch (op) {
        case READ -> readMetadata(request, key);
        case LIST -> listMetadata(request, key);
        case UPDATE -> writeMetadata(request, key);
        case DELETE -> deleteMetadata(key);
        case PATCH -> patchMetadata(request, key);
        default -> VaultResponse.unsupportedOperation();
      };
    }
    if ((m = DESTROY.matcher(sub)).matches()) {
      return op == Operation.UPDATE
          ? destroyVersions(request, m.group(1))
          : VaultResponse.unsupportedOperation();
    }
    if ((m = SUBKEYS.matcher(sub)).matches()) {
      return op == Operation.READ
          ? readSubkeys(request, m.group(1))
          : VaultResponse.unsupportedOperation();
    }
    if ((m = DELETE.matcher(sub)).matches()) {
      return op == Operation.UPDATE
          ? deleteVersions(request, m.group(1))
          : VaultResponse.unsupportedOperation();
    }
    if ((m = UNDELETE.matcher(sub)).matches()) {
      return op == Operation.UPDATE
          ? undeleteVersions(request, m.group(1))
          : VaultResponse.unsupportedOperation();
    }
    return invalidPath(sub, request);
  }

  /**
   * The KV v2 plugin's existence check for {@code sub}: whether the key has metadata, for
   * {@code data/<key>} and {@code metadata/<key>}; {@code null} for paths without an existence
   * check (there a write is always an update, never a create).
   */
  synchronized Boolean exists(String sub) {
    Matcher m;
    if ((m = DATA.matcher(sub)).matches() || (m = METADATA.matcher(sub)).matches()) {
      return keys.containsKey(m.group(1));
    }
    return null;
  }

  // ---- test access -------------------------------------------------------------------------

  synchronized Set<String> keyPaths() {
    return new TreeSet<>(keys.keySet());
  }

  synchronized SortedMap<Integer, SecretVersion> versions(String key) {
    KeyMetadata meta = keys.get(key);
    SortedMap<Integer, SecretVersion> result = new TreeMap<>();
    if (meta == null) {
      return result;
    }
    for (Map.Entry<Integer, StoredVersion> e : meta.versions.entrySet()) {
      StoredVersion v = e.getValue();
      @SuppressWarnings("unchecked")
      Map<String, Object> data =
          v.data == null ? null : Json.MAPPER.convertValue(v.data, Map.class);
      result.put(
          e.getKey(),
          new SecretVersion(
              e.getKey(),
              data == null ? null : Collections.unmodifiableMap(data),
              v.createdTime,
              v.deletionTime,
              v.destroyed));
    }
    return Collections.unmodifiableSortedMap(result);
  }

  /** Writes a new version without CAS; for tests seeding data. */
  synchronized int write(String key, ObjectNode data) {
    KeyMetadata meta = keys.computeIfAbsent(key, k -> new KeyMetadata());
    Instant now = Instant.now();
    meta.addVersion(data.deepCopy(), now, deletionTime(now, meta), maxVersions);
    return meta.currentVersion;
  }

  // ---- config ------------------------------------------------------------------------------

  private VaultResponse readConfig(VaultRequest request) {
    ObjectNode data = Json.object();
    data.put("cas_required", casRequired);
    data.put("delete_version_after", GoDuration.format(deleteVersionAfter));
    data.put("max_versions", maxVersions);
    return VaultResponse.data(200, request.requestId(), data, MOUNT_TYPE);
  }

  private VaultResponse writeConfig(VaultRequest request) {
    OptionalInt max = FieldDecoder.intField(request, "max_versions");
    var cas = FieldDecoder.boolField(request, "cas_required");
    var dva = FieldDecoder.durationField(request, "delete_version_after");
    max.ifPresent(v -> maxVersions = v);
    cas.ifPresent(v -> casRequired = v);
    dva.ifPresent(v -> deleteVersionAfter = v);
    return VaultResponse.noContent();
  }

  // ---- data --------------------------------------------------------------------------------

  private VaultResponse readData(VaultRequest request, String key) {
    KeyMetadata meta = keys.get(key);
    if (meta == null) {
      return VaultResponse.notFound();
    }
    int number = versionParameter(request, meta);
    StoredVersion version = meta.versions.get(number);
    if (version == null) {
      return VaultResponse.notFound();
    }
    ObjectNode data = Json.object();
    data.putNull("data");
    data.set("metadata", versionMetadata(meta, number, version));
    if (version.deletedAt(Instant.now()) || version.destroyed) {
      return VaultResponse.data(404, request.requestId(), data, MOUNT_TYPE);
    }
    data.set("data", version.data.deepCopy());
    return VaultResponse.data(200, request.requestId(), data, MOUNT_TYPE);
  }

  private VaultResponse writeData(VaultRequest request, String key) {
    ObjectNode data =
        FieldDecoder.mapField(request, "data")
            .orElseThrow(() -> VaultApiException.badRequest("no data provided"));
    KeyMetadata meta = keys.get(key);
    if (meta == null) {
      meta = new KeyMetadata();
    }
    checkAndSet(request, meta);
    Instant now = Instant.now();
    StoredVersion version =
        meta.addVersion(data.deepCopy(), now, deletionTime(now, meta), maxVersions);
    keys.put(key, meta);
    return VaultResponse.data(
        200, request.requestId(), versionMetadata(meta, meta.currentVersion, version), MOUNT_TYPE);
  }

  private VaultResponse patchData(VaultRequest request, String key) {
    ObjectNode patch =
        FieldDecoder.mapField(request, "data")
            .orElseThrow(() -> VaultApiException.badRequest("no data provided"));
    KeyMetadata meta = keys.get(key);
    if (meta == null) {
      return VaultResponse.notFound();
    }
    checkAndSet(request, meta);
    StoredVersion current = meta.versions.get(meta.currentVersion);
    if (current == null) {
      return VaultResponse.notFound();
    }
    if (current.deletedAt(Instant.now()) || current.destroyed) {
      return VaultResponse.data(
          404,
          request.requestId(),
          versionMetadata(meta, meta.currentVersion, current),
          MOUNT_TYPE);
    }
    ObjectNode patched = (ObjectNode) JsonMergePatch.apply(current.data, patch);
    Instant now = Instant.now();
    StoredVersion version = meta.addVersion(patched, now, deletionTime(now, meta), maxVersions);
    return VaultResponse.data(
        200, request.requestId(), versionMetadata(meta, meta.currentVersion, version), MOUNT_TYPE);
  }

  private VaultResponse deleteLatest(String key) {
    KeyMetadata meta = keys.get(key);
    if (meta == null) {
      return VaultResponse.noContent();
    }
    StoredVersion latest = meta.versions.get(meta.currentVersion);
    Instant now = Instant.now();
    if (latest != null && !latest.destroyed && !latest.deletedAt(now)) {
      latest.deletionTime = now;
    }
    return VaultResponse.noContent();
  }

  private VaultResponse deleteVersions(VaultRequest request, String key) {
    List<Integer> numbers = FieldDecoder.intListField(request, "versions");
    if (numbers.isEmpty()) {
      throw VaultApiException.badRequest("No version number provided");
    }
    KeyMetadata meta = keys.get(key);
    if (meta == null) {
      return VaultResponse.noContent();
    }
    Instant now = Instant.now();
    for (int number : numbers) {
      StoredVersion version = meta.versions.get(number);
      if (version != null && !version.destroyed && !version.deletedAt(now)) {
        version.deletionTime = now;
      }
    }
    return VaultResponse.noContent();
  }

  private VaultResponse undeleteVersions(VaultRequest request, String key) {
    List<Integer> numbers = FieldDecoder.intListField(request, "versions");
    if (numbers.isEmpty()) {
      throw VaultApiException.badRequest("No version number provided");
    }
    KeyMetadata meta = keys.get(key);
    if (meta == null) {
      return VaultResponse.noContent();
    }
    Instant now = Instant.now();
    for (int number : numbers) {
      StoredVersion version = meta.versions.get(number);
      if (version != null && !version.destroyed) {
        version.deletionTime = deletionTime(now, meta);
      }
    }
    return VaultResponse.noContent();
  }

  private VaultResponse destroyVersions(VaultRequest request, String key) {
    List<Integer> numbers = FieldDecoder.intListField(request, "versions");
    if (numbers.isEmpty()) {
      throw VaultApiException.badRequest("no version number provided");
    }
    KeyMetadata meta = keys.get(key);
    if (meta == null) {
      return VaultResponse.noContent();
    }
    for (int number : numbers) {
      StoredVersion version = meta.versions.get(number);
      if (version != null) {
        version.destroyed = true;
        version.data = null;
      }
    }
    return VaultResponse.noContent();
  }

  private VaultResponse readSubkeys(VaultRequest request, String key) {
    KeyMetadata meta = keys.get(key);
    if (meta == null) {
      return VaultResponse.notFound();
    }
    int depth = FieldDecoder.intField(request, "depth").orElse(0);
    int number = versionParameter(request, meta);
    StoredVersion version = meta.versions.get(number);
    if (version == null) {
      return VaultResponse.notFound();
    }
    ObjectNode data = Json.object();
    data.set("metadata", versionMetadata(meta, number, version));
    data.putNull("subkeys");
    if (version.deletedAt(Instant.now()) || version.destroyed) {
      return VaultResponse.data(404, request.requestId(), data, MOUNT_TYPE);
    }
    data.set("subkeys", subkeys(version.data, 1, depth));
    return VaultResponse.data(200, request.requestId(), data, MOUNT_TYPE);
  }

  private static ObjectNode subkeys(ObjectNode data, int currentDepth, int maxDepth) {
    ObjectNode result = Json.object();
    for (Map.Entry<String, JsonNode> e : data.properties()) {
      boolean atLimit = maxDepth != 0 && currentDepth >= maxDepth;
      if (!atLimit && e.getValue() instanceof ObjectNode nested && !nested.isEmpty()) {
        result.set(e.getKey(), subkeys(nested, currentDepth + 1, maxDepth));
      } else {
        result.putNull(e.getKey());
      }
    }
    return result;
  }

  // ---- metadata ----------------------------------------------------------------------------

  private VaultResponse readMetadata(VaultRequest request, String key) {
    KeyMetadata meta = keys.get(key);
    if (meta == null) {
      return VaultResponse.notFound();
    }
    ObjectNode data = Json.object();
    data.put("cas_required", meta.casRequired);
    data.put("created_time", VaultTime.format(meta.createdTime));
    data.put("current_version", meta.currentVersion);
    data.set("custom_metadata", customMetadata(meta));
    data.put("delete_version_after", GoDuration.format(meta.deleteVersionAfter));
    data.put("max_versions", meta.maxVersions);
    data.put("oldest_version", meta.oldestVersion);
    data.put("updated_time", VaultTime.format(meta.updatedTime));
    ObjectNode versions = data.putObject("versions");
    for (Map.Entry<Integer, StoredVersion> e : meta.versions.entrySet()) {
      ObjectNode v = versions.putObject(Integer.toString(e.getKey()));
      v.put("created_time", VaultTime.format(e.getValue().createdTime));
      v.put("deletion_time", VaultTime.format(e.getValue().deletionTime));
      v.put("destroyed", e.getValue().destroyed);
    }
    return VaultResponse.data(200, request.requestId(), data, MOUNT_TYPE);
  }

  private VaultResponse listMetadata(VaultRequest request, String prefix) {
    boolean excludeDeleted = FieldDecoder.boolField(request, "exclude_deleted").orElse(false);
    TreeSet<String> children = new TreeSet<>();
    for (Map.Entry<String, KeyMetadata> e : keys.tailMap(prefix, true).entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(prefix)) {
        break;
      }
      String rest = key.substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash >= 0) {
        children.add(rest.substring(0, slash + 1));
      } else if (!rest.isEmpty()) {
        StoredVersion current = e.getValue().versions.get(e.getValue().currentVersion);
        if (!(excludeDeleted && current != null && current.deletionTime != null)) {
          children.add(rest);
        }
      }
    }
    if (children.isEmpty()) {
      return VaultResponse.notFound();
    }
    ObjectNode data = Json.object();
    children.forEach(data.putArray("keys")::add);
    return VaultResponse.data(200, request.requestId(), data, MOUNT_TYPE);
  }

  private VaultResponse writeMetadata(VaultRequest request, String key) {
    if (key.isEmpty()) {
      throw VaultApiException.badRequest("missing path");
    }
    OptionalInt max = FieldDecoder.intField(request, "max_versions");
    var cas = FieldDecoder.boolField(request, "cas_required");
    var dva = FieldDecoder.durationField(request, "delete_version_after");
    var custom = FieldDecoder.mapField(request, "custom_metadata");
    if (max.isEmpty() && cas.isEmpty() && dva.isEmpty() && custom.isEmpty()) {
      return VaultResponse.noContent();
    }
    Map<String, String> customMetadata = null;
    if (custom.isPresent()) {
      customMetadata = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : custom.get().properties()) {
        customMetadata.put(e.getKey(), weakString(e.getValue()));
      }
      validateCustomMetadata(customMetadata);
    }
    List<String> warnings = new ArrayList<>();
    if (cas.isPresent() && casRequired && !cas.get()) {
      warnings.add(
          "\"cas_required\" set to false, but is mandated by backend config. This value will be"
              + " ignored.");
    }
    KeyMetadata meta = keys.get(key);
    if (meta == null) {
      meta = new KeyMetadata();
      meta.createdTime = Instant.now();
      meta.updatedTime = meta.createdTime;
      keys.put(key, meta);
    }
    KeyMetadata target = meta;
    max.ifPresent(v -> target.maxVersions = v);
    cas.ifPresent(v -> target.casRequired = v);
    dva.ifPresent(v -> target.deleteVersionAfter = v);
    if (customMetadata != null) {
      meta.customMetadata = customMetadata;
    }
    if (warnings.isEmpty()) {
      return VaultResponse.noContent();
    }
    return VaultResponse.envelope(200, request.requestId(), null, warnings, null, MOUNT_TYPE);
  }

  private VaultResponse patchMetadata(VaultRequest request, String key) {
    if (key.isEmpty()) {
      throw VaultApiException.badRequest("missing path");
    }
    OptionalInt max = FieldDecoder.intField(request, "max_versions");
    var cas = FieldDecoder.boolField(request, "cas_required");
    var dva = FieldDecoder.durationField(request, "delete_version_after");
    var custom = FieldDecoder.mapField(request, "custom_metadata");
    KeyMetadata meta = keys.get(key);
    if (meta == null) {
      return VaultResponse.notFound();
    }
    Map<String, String> customMetadata =
        meta.customMetadata == null ? new TreeMap<>() : new TreeMap<>(meta.customMetadata);
    if (custom.isPresent()) {
      for (Map.Entry<String, JsonNode> e : custom.get().properties()) {
        if (e.getValue().isNull()) {
          customMetadata.remove(e.getKey());
        } else {
          customMetadata.put(e.getKey(), weakString(e.getValue()));
        }
      }
      validateCustomMetadata(customMetadata);
    }
    max.ifPresent(v -> meta.maxVersions = v);
    cas.ifPresent(v -> meta.casRequired = v);
    dva.ifPresent(v -> meta.deleteVersionAfter = v);
    if (custom.isPresent()) {
      meta.customMetadata = customMetadata;
    }
    return VaultResponse.noContent();
  }

  private VaultResponse deleteMetadata(String key) {
    keys.remove(key);
    return VaultResponse.noContent();
  }

  // ---- shared ------------------------------------------------------------------------------

  /** The catch-all path of the plugin: 404 with a warning for the usual operations. */
  private static VaultResponse invalidPath(String sub, VaultRequest request) {
    String command =
        switch (request.operation()) {
          case UPDATE -> "put";
          case PATCH -> "patch";
          case READ -> "get";
          case LIST -> "list";
          case DELETE -> "delete";
          case HEADER -> null;
        };
    if (command == null) {
      return VaultResponse.unsupportedOperation();
    }
    String warning =
        switch (sub) {
          case "metadata", "data", "delete", "undelete", "destroy" ->
              "Non-listing operations on the root of a K/V v2 mount are not supported.";
          default ->
              "Invalid path for a versioned K/V secrets engine. See the API docs for the"
                  + " appropriate API endpoints to use. If using the Vault CLI, use 'vault kv "
                  + command
                  + "' for this operation.";
        };
    return VaultResponse.envelope(
        404, request.requestId(), null, List.of(warning), null, MOUNT_TYPE);
  }

  private int versionParameter(VaultRequest request, KeyMetadata meta) {
    int requested = FieldDecoder.intField(request, "version").orElse(0);
    return requested > 0 ? requested : meta.currentVersion;
  }

  /** Vault's {@code validateCheckAndSetOption}. */
  private void checkAndSet(VaultRequest request, KeyMetadata meta) {
    ObjectNode options = FieldDecoder.mapField(request, "options").orElse(null);
    if (options != null && options.has("cas")) {
      long cas = weakLong(options.get("cas"));
      if (cas != meta.currentVersion) {
        throw VaultApiException.badRequest(
            "check-and-set parameter did not match the current version");
      }
    } else if (casRequired || meta.casRequired) {
      throw VaultApiException.badRequest("check-and-set parameter required for this call");
    }
  }

  private static long weakLong(JsonNode value) {
    if (value == null || value.isNull()) {
      return 0;
    }
    if (value.isNumber()) {
      return value.longValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? 1 : 0;
    }
    if (value.isTextual()) {
      if (value.textValue().isEmpty()) {
        return 0;
      }
      try {
        return Long.parseLong(value.textValue());
      } catch (NumberFormatException e) {
        // below
      }
    }
    throw VaultApiException.badRequest("error parsing check-and-set parameter");
  }

  private static String weakString(JsonNode value) {
    if (value.isNull()) {
      return "";
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? "1" : "0";
    }
    if (value.isNumber()) {
      return value.asText();
    }
    throw VaultApiException.badRequest(
        CUSTOM_METADATA_ERROR + ": '' expected type 'string', got unconvertible type");
  }

  private static void validateCustomMetadata(Map<String, String> metadata) {
    List<String> problems = new ArrayList<>();
    if (metadata.size() > MAX_CUSTOM_METADATA_KEYS) {
      problems.add(
          CUSTOM_METADATA_ERROR
              + ": payload must contain at most "
              + MAX_CUSTOM_METADATA_KEYS
              + " keys, provided "
              + metadata.size());
    } else {
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        int keyLength = e.getKey().length();
        if (keyLength == 0 || keyLength > MAX_CUSTOM_METADATA_KEY_LENGTH) {
          problems.add(
              String.format(
                  "%s: length of key \"%s\" is %d but must be 0 < len(key) <= %d",
                  CUSTOM_METADATA_ERROR, e.getKey(), keyLength, MAX_CUSTOM_METADATA_KEY_LENGTH));
        }
        int valueLength = e.getValue().length();
        if (valueLength == 0 || valueLength > MAX_CUSTOM_METADATA_VALUE_LENGTH) {
          problems.add(
              String.format(
                  "%s: length of value for key \"%s\" is %d but must be 0 < len(value) <= %d",
                  CUSTOM_METADATA_ERROR,
                  e.getKey(),
                  valueLength,
                  MAX_CUSTOM_METADATA_VALUE_LENGTH));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw VaultApiException.badRequest(VaultResponse.multiError(problems));
    }
  }

  private static JsonNode customMetadata(KeyMetadata meta) {
    if (meta.customMetadata == null || meta.customMetadata.isEmpty()) {
      return NullNode.getInstance();
    }
    ObjectNode node = Json.object();
    meta.customMetadata.forEach(node::put);
    return node;
  }

  private static ObjectNode versionMetadata(KeyMetadata meta, int number, StoredVersion version) {
    ObjectNode metadata = Json.object();
    metadata.put("created_time", VaultTime.format(version.createdTime));
    metadata.set("custom_metadata", customMetadata(meta));
    metadata.put("deletion_time", VaultTime.format(version.deletionTime));
    metadata.put("destroyed", version.destroyed);
    metadata.put("version", number);
    return metadata;
  }

  /** Vault's {@code deletionTime}: the shorter of mount and key delete_version_after, if any. */
  private Instant deletionTime(Instant from, KeyMetadata meta) {
    if (deleteVersionAfter.isNegative()) {
      return null;
    }
    Duration keyLimit = meta.deleteVersionAfter;
    if (deleteVersionAfter.isZero() && keyLimit.isZero()) {
      return null;
    }
    Duration chosen = keyLimit;
    if ((!deleteVersionAfter.isZero() && deleteVersionAfter.compareTo(chosen) < 0)
        || chosen.isZero()) {
      chosen = deleteVersionAfter;
    }
    return from.plus(chosen);
  }
}
