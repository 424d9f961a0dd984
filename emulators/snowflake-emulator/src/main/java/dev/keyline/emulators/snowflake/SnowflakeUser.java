package dev.keyline.emulators.snowflake;

import java.security.PublicKey;
import java.util.Set;

/**
 * A live handle on one user of an emulated account. Obtained from {@link
 * SnowflakeAccount#user(String)} or {@link SnowflakeEmulator#user(String, String)}.
 */
public final class SnowflakeUser {

  private final Backend backend;
  private final String account;
  private final String name;

  SnowflakeUser(Backend backend, String account, String name) {
    this.backend = backend;
    this.account = account;
    this.name = name;
  }

  /** The user's name as stored (what CURRENT_USER() returns). */
  public String name() {
    return name;
  }

  public String account() {
    return account;
  }

  /** The name clients connect with (case-insensitive); defaults to the name upper-cased. */
  public SnowflakeUser loginName(String loginName) {
    backend.locked(
        () -> {
          String upper = Identifiers.upper(loginName.trim());
          User user = user();
          User clash = backend.account(account).userByLoginName(upper);
          if (clash != null && clash != user) {
            throw new IllegalArgumentException("login name " + upper + " is already used by user " + clash.name);
          }
          user.loginName = upper;
          return null;
        });
    return this;
  }

  /** Sets DEFAULT_ROLE (it need not be granted: login then falls back to PUBLIC, as in Snowflake). */
  public SnowflakeUser defaultRole(String role) {
    String normalized = Identifiers.normalize(role);
    backend.locked(() -> user().defaultRole = normalized);
    return this;
  }

  public SnowflakeUser defaultWarehouse(String warehouse) {
    String normalized = Identifiers.normalize(warehouse);
    backend.locked(() -> user().defaultWarehouse = normalized);
    return this;
  }

  /** GRANT ROLE r TO USER this; the roles are created when absent. */
  public SnowflakeUser grantRoles(String... roles) {
    backend.locked(
        () -> {
          for (String role : roles) {
            String normalized = Identifiers.normalize(role);
            backend.account(account).roleOrCreate(normalized, backend.now());
            user().grantedRoles.add(normalized);
          }
          return null;
        });
    return this;
  }

  /** Shorthand: grants the role and makes it the default role. */
  public SnowflakeUser role(String role) {
    return grantRoles(role).defaultRole(role);
  }

  /** Transfers OWNERSHIP of this user to the role (default USERADMIN). */
  public SnowflakeUser owner(String role) {
    String normalized = Identifiers.normalize(role);
    backend.locked(
        () -> {
          if (!backend.account(account).roles.containsKey(normalized)) {
            throw new IllegalArgumentException("no role " + normalized + " in account " + account);
          }
          user().ownerRole = normalized;
          return null;
        });
    return this;
  }

  /** Sets RSA_PUBLIC_KEY. */
  public SnowflakeUser rsaPublicKey(PublicKey key) {
    return keySlot(1, KeySlot.of(key, backend.now()));
  }

  /** Sets RSA_PUBLIC_KEY from PEM or bare base64 of the SPKI DER. */
  public SnowflakeUser rsaPublicKey(String pemOrBase64) {
    return keySlot(1, KeySlot.parse(pemOrBase64, backend.now()));
  }

  /** Sets RSA_PUBLIC_KEY_2. */
  public SnowflakeUser rsaPublicKey2(PublicKey key) {
    return keySlot(2, KeySlot.of(key, backend.now()));
  }

  /** Sets RSA_PUBLIC_KEY_2 from PEM or bare base64 of the SPKI DER. */
  public SnowflakeUser rsaPublicKey2(String pemOrBase64) {
    return keySlot(2, KeySlot.parse(pemOrBase64, backend.now()));
  }

  /** Empties slot 1 or 2. */
  public SnowflakeUser unsetKey(int slot) {
    return keySlot(slot, null);
  }

  public KeySlots keySlots() {
    return backend.locked(() -> user().keySlots());
  }

  public Set<String> grantedRoles() {
    return backend.locked(() -> Set.copyOf(user().grantedRoles));
  }

  SnowflakeUser keySlot(int slot, KeySlot key) {
    if (slot != 1 && slot != 2) {
      throw new IllegalArgumentException("slot must be 1 or 2, not " + slot);
    }
    backend.locked(
        () -> {
          user().slots[slot - 1] = key;
          return null;
        });
    return this;
  }

  private User user() {
    return backend.user(account, Identifiers.sql(name));
  }
}
