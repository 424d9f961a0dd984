package dev.keyline.emulators.snowflake;

import java.util.List;

/**
 * A live handle on one emulated account; every call changes the running emulator at once.
 * Obtained from {@link SnowflakeEmulator#account(String)}.
 *
 * <p>Names follow Snowflake's identifier rules: {@code "svc_a"} means SVC_A, {@code "\"svc_a\""}
 * the lower-case name.
 */
public final class SnowflakeAccount {

  private final Backend backend;
  private final String name;

  SnowflakeAccount(Backend backend, String name) {
    this.backend = backend;
    this.name = name;
  }

  /** The account name, upper-cased (what CURRENT_ACCOUNT() returns and clients connect with). */
  public String name() {
    return name;
  }

  /** Adds warehouses (COMPUTE_WH exists from the start). */
  public SnowflakeAccount warehouse(String... warehouses) {
    backend.locked(
        () -> {
          Account account = backend.account(name);
          for (String warehouse : warehouses) {
            account.warehouses.putIfAbsent(Identifiers.normalize(warehouse), backend.now());
          }
          return null;
        });
    return this;
  }

  /** Adds a database (with PUBLIC and INFORMATION_SCHEMA) and extra schemas. */
  public SnowflakeAccount database(String database, String... schemas) {
    backend.locked(
        () -> {
          Account.Database db =
              backend.account(name).database(Identifiers.normalize(database), backend.now(), true);
          for (String schema : schemas) {
            db.schemas(backend.now(), Identifiers.normalize(schema));
          }
          return null;
        });
    return this;
  }

  /** The role, created when absent. */
  public SnowflakeRole role(String role) {
    String normalized = Identifiers.normalize(role);
    backend.locked(() -> backend.account(name).roleOrCreate(normalized, backend.now()));
    return new SnowflakeRole(backend, name, normalized);
  }

  /** The user, created when absent (login name = name upper-cased, owner USERADMIN). */
  public SnowflakeUser user(String user) {
    return user(user, null);
  }

  /**
   * The user, created when absent with this login name (case-insensitive, unique in the account;
   * {@code null}: the name upper-cased). Needed when two users differ only in case, such as {@code
   * SVC_A} and {@code "svc_a"}: Snowflake, too, refuses a second user with the same login name.
   */
  public SnowflakeUser user(String user, String loginName) {
    String normalized = Identifiers.normalize(user);
    backend.locked(
        () -> {
          Account account = backend.account(name);
          User existing = account.users.get(normalized);
          String login =
              loginName != null
                  ? Identifiers.upper(loginName.trim())
                  : existing != null ? existing.loginName : Identifiers.upper(normalized);
          User clash = account.userByLoginName(login);
          if (clash != null && clash != existing) {
            throw new IllegalArgumentException(
                "login name " + login + " is already used by user " + clash.name
                    + "; give one of them another login name");
          }
          User target = existing != null ? existing : new User(normalized, backend.now());
          target.loginName = login;
          account.users.putIfAbsent(normalized, target);
          return null;
        });
    return new SnowflakeUser(backend, name, normalized);
  }

  /** The names of the account's users, as stored. */
  public List<String> users() {
    return backend.locked(() -> List.copyOf(backend.account(name).users.keySet()));
  }
}
