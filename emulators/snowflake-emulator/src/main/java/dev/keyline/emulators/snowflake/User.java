package dev.keyline.emulators.snowflake;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** A user of one account with Snowflake's two key slots. Guarded by the state's lock. */
final class User {

  final String name;
  final Instant createdOn;
  /** Upper-cased; what clients connect with and what the JWT's {@code sub} names. */
  String loginName;
  String defaultRole;
  String defaultWarehouse;
  String type;
  String comment;
  String ownerRole = "USERADMIN";
  final Set<String> grantedRoles = new LinkedHashSet<>();
  /** Index 0 is RSA_PUBLIC_KEY, index 1 RSA_PUBLIC_KEY_2; {@code null} when unset. */
  final KeySlot[] slots = new KeySlot[2];

  User(String name, Instant createdOn) {
    this.name = name;
    this.createdOn = createdOn;
    this.loginName = Identifiers.upper(name);
  }

  KeySlots keySlots() {
    KeySlot one = slots[0];
    KeySlot two = slots[1];
    return new KeySlots(
        one == null ? null : one.fingerprint(),
        one == null ? null : one.base64(),
        one == null ? null : one.setAt(),
        two == null ? null : two.fingerprint(),
        two == null ? null : two.base64(),
        two == null ? null : two.setAt());
  }
}
