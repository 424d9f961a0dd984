package dev.keyline.emulators.vault;

import java.time.Instant;
import java.util.Map;

/**
 * One stored version of a KV v2 secret, as a test sees it through {@link
 * VaultEmulator#versions(String, String)}.
 *
 * <p>Why expose it: tests must be able to check what a service left behind (for instance that a
 * delete removed every version, or that an old version was destroyed) without going through the
 * HTTP API they are testing.
 *
 * @param data a copy of the stored data; {@code null} once the version is destroyed
 * @param deletionTime {@code null} unless the version is (or is scheduled to be) soft-deleted
 */
public record SecretVersion(
    int version,
    Map<String, Object> data,
    Instant createdTime,
    Instant deletionTime,
    boolean destroyed) {

  /** True when the version is soft-deleted now (a read answers 404). */
  public boolean deleted() {
    return deletionTime != null && !deletionTime.isAfter(Instant.now());
  }
}
