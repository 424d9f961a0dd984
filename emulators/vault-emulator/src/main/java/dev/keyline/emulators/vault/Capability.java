package dev.keyline.emulators.vault;

import java.util.Locale;

/**
 * The ACL capabilities the emulator enforces, as named in Vault policies.
 *
 * <p>Why only these: they are what a KV v2 client needs. {@code sudo} (root-protected paths) and
 * {@code subscribe} (events) guard endpoints the emulator does not serve, so a policy naming them
 * is refused at start rather than half understood.
 */
enum Capability {
  CREATE,
  READ,
  UPDATE,
  DELETE,
  LIST,
  PATCH,
  DENY;

  String hclName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
