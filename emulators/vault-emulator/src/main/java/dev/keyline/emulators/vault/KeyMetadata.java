package dev.keyline.emulators.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything KV v2 keeps for one key: its versions and its settings. Mutable; guarded by the
 * owning {@link KvV2Engine}.
 *
 * <p>Why a separate type: version bookkeeping (current, oldest, pruning beyond {@code
 * max_versions}) follows Vault's {@code AddVersion} exactly, including its quirk that {@code
 * oldest_version} only moves once the limit is first reached.
 */
final class KeyMetadata {

  /** Vault's default when neither the key nor the mount sets {@code max_versions}. */
  static final int DEFAULT_MAX_VERSIONS = 10;

  final TreeMap<Integer, StoredVersion> versions = new TreeMap<>();
  int currentVersion;
  int oldestVersion;
  Instant createdTime;
  Instant updatedTime;
  int maxVersions;
  boolean casRequired;
  Duration deleteVersionAfter = Duration.ZERO;
  Map<String, String> customMetadata;

  /** One version; {@code data} is dropped when destroyed. */
  static final class StoredVersion {
    ObjectNode data;
    final Instant createdTime;
    Instant deletionTime;
    boolean destroyed;

    StoredVersion(ObjectNode data, Instant createdTime, Instant deletionTime) {
      this.data = data;
      this.createdTime = createdTime;
      this.deletionTime = deletionTime;
    }

    boolean deletedAt(Instant now) {
      return deletionTime != null && deletionTime.isBefore(now);
    }
  }

  /** Adds the next version and prunes the oldest ones beyond the effective limit. */
  StoredVersion addVersion(ObjectNode data, Instant now, Instant deletionTime, int mountMax) {
    StoredVersion version = new StoredVersion(data, now, deletionTime);
    currentVersion++;
    versions.put(currentVersion, version);
    updatedTime = now;
    if (createdTime == null) {
      createdTime = now;
    }
    int limit = Math.max(maxVersions, mountMax);
    if (limit <= 0) {
      limit = DEFAULT_MAX_VERSIONS;
    }
    if (currentVersion - oldestVersion >= limit) {
      int versionToDelete = currentVersion - limit;
      for (int i = oldestVersion; i <= versionToDelete; i++) {
        versions.remove(i);
      }
      oldestVersion = versionToDelete + 1;
    }
    return version;
  }
}
