package dev.keyline.emulators.snowflake;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

  /**
   * Adds warehouses every role may use: USAGE granted to PUBLIC (also on an existing one).
   * COMPUTE_WH exists from the start and is usable by every role.
   */
  public SnowflakeAccount warehouse(String... warehouses) {
    for (String warehouse : warehouses) {
      declareWarehouse(warehouse, List.of(Account.PUBLIC));
    }
    return this;
  }

  /**
   * A warehouse only these roles may use (with the roles that inherit them, and SYSADMIN, which owns
   * it): created when absent, then {@code GRANT USAGE ON WAREHOUSE w TO ROLE r} for each role.
   * Nothing is revoked: on a warehouse PUBLIC may use, every role still may. A session whose role
   * may not use it gets no warehouse at login, and USE WAREHOUSE answers as for a missing one.
   *
   * @param usageRoles existing roles (none: only SYSADMIN and ACCOUNTADMIN may use it)
   */
  public SnowflakeAccount restrictedWarehouse(String warehouse, String... usageRoles) {
    declareWarehouse(warehouse, List.of(usageRoles));
    return this;
  }

  private void declareWarehouse(String warehouse, List<String> usageRoles) {
    String normalized = Identifiers.normalize(warehouse);
    Set<String> roles = normalizeAll(usageRoles);
    backend.locked(
        () -> {
          Account account = backend.account(name);
          account.requireRoles(roles);
          account.warehouse(normalized, backend.now()).usage.addAll(roles);
          return null;
        });
  }

  /**
   * Adds a database (with PUBLIC and INFORMATION_SCHEMA) and extra schemas, all usable by every
   * role: USAGE granted to PUBLIC on the database and these schemas (and PUBLIC when created).
   */
  public SnowflakeAccount database(String database, String... schemas) {
    return restrictedDatabase(database, List.of(Account.PUBLIC), schemas);
  }

  /**
   * A database only these roles may use (with the roles that inherit them, and SYSADMIN, which owns
   * it): created when absent with INFORMATION_SCHEMA and PUBLIC, then USAGE granted to each role on
   * the database, on the schemas named here (created when absent) and, when this call created the
   * database, on its PUBLIC schema. INFORMATION_SCHEMA is open to every role that may use the
   * database. Nothing is revoked. A session whose role may not use the database gets none at login,
   * and USE DATABASE answers as for a missing one; SHOW DATABASES does not list it.
   *
   * @param usageRoles existing roles (empty: only SYSADMIN and ACCOUNTADMIN may use it)
   */
  public SnowflakeAccount restrictedDatabase(
      String database, List<String> usageRoles, String... schemas) {
    String normalized = Identifiers.normalize(database);
    Set<String> roles = normalizeAll(usageRoles);
    Set<String> schemaNames = normalizeAll(List.of(schemas));
    backend.locked(
        () -> {
          Account account = backend.account(name);
          account.requireRoles(roles);
          account
              .database(normalized, roles, backend.now())
              .schemas(backend.now(), roles, schemaNames.toArray(String[]::new));
          return null;
        });
    return this;
  }

  private static Set<String> normalizeAll(List<String> names) {
    Set<String> normalized = new LinkedHashSet<>();
    for (String name : names) {
      normalized.add(Identifiers.normalize(name));
    }
    return normalized;
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
