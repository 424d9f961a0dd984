package dev.keyline.emulators.snowflake;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Snowflake account: users, roles, warehouses and a small database catalogue. Guarded by the
 * state's lock.
 *
 * <p>Every account starts with Snowflake's system roles and their hierarchy (ACCOUNTADMIN inherits
 * SECURITYADMIN and SYSADMIN, SECURITYADMIN inherits USERADMIN, every role inherits PUBLIC), the
 * shared databases SNOWFLAKE and SNOWFLAKE_SAMPLE_DATA and the warehouse COMPUTE_WH.
 */
final class Account {

  static final String PUBLIC = "PUBLIC";

  final String name;
  final Instant createdOn;
  final Map<String, User> users = new LinkedHashMap<>();
  final Map<String, Role> roles = new LinkedHashMap<>();
  final Map<String, Instant> warehouses = new LinkedHashMap<>();
  final Map<String, Database> databases = new LinkedHashMap<>();

  Account(String name, Instant now) {
    this.name = name;
    this.createdOn = now;
    for (String role : List.of("ACCOUNTADMIN", "SECURITYADMIN", "USERADMIN", "SYSADMIN", PUBLIC)) {
      roles.put(role, new Role(role, now));
    }
    roles.get("ACCOUNTADMIN").inheritedRoles.addAll(List.of("SECURITYADMIN", "SYSADMIN"));
    roles.get("SECURITYADMIN").inheritedRoles.add("USERADMIN");
    warehouses.put("COMPUTE_WH", now);
    database("SNOWFLAKE", now, false)
        .schemas(now, "ACCOUNT_USAGE", "INFORMATION_SCHEMA", "ORGANIZATION_USAGE");
    database("SNOWFLAKE_SAMPLE_DATA", now, false).schemas(now, "INFORMATION_SCHEMA", "TPCH_SF1");
  }

  /** Creates the database when absent; user databases get PUBLIC and INFORMATION_SCHEMA. */
  Database database(String databaseName, Instant now, boolean withDefaultSchemas) {
    return databases.computeIfAbsent(
        databaseName,
        n -> {
          Database created = new Database(n, now);
          if (withDefaultSchemas) {
            created.schemas(now, "INFORMATION_SCHEMA", PUBLIC);
          }
          return created;
        });
  }

  Role role(String roleName) {
    return roles.get(roleName);
  }

  Role roleOrCreate(String roleName, Instant now) {
    return roles.computeIfAbsent(roleName, n -> new Role(n, now));
  }

  User userByLoginName(String loginNameUpper) {
    for (User user : users.values()) {
      if (user.loginName.equals(loginNameUpper)) {
        return user;
      }
    }
    return null;
  }

  /** The role, every role it inherits (transitively) and PUBLIC. Unknown roles give PUBLIC only. */
  Set<String> closure(String roleName) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    if (roleName != null && roles.containsKey(roleName)) {
      todo.add(roleName);
    }
    while (!todo.isEmpty()) {
      String next = todo.poll();
      if (seen.add(next)) {
        Role role = roles.get(next);
        if (role != null) {
          todo.addAll(role.inheritedRoles);
        }
      }
    }
    seen.add(PUBLIC);
    return seen;
  }

  /** The roles a user may activate: those granted, everything they inherit, and PUBLIC. */
  Set<String> availableRoles(User user) {
    Set<String> available = new LinkedHashSet<>();
    for (String granted : user.grantedRoles) {
      available.addAll(closure(granted));
    }
    available.add(PUBLIC);
    return available;
  }

  /**
   * Whether the active role may change the target's key slots: it (or a role it inherits) owns
   * the user or holds MODIFY PROGRAMMATIC AUTHENTICATION METHODS on the user or on the account.
   */
  boolean mayModifyKeys(String activeRole, User target) {
    for (String roleName : closure(activeRole)) {
      Role role = roles.get(roleName);
      if (roleName.equals(target.ownerRole)
          || (role != null
              && (role.modifyProgrammaticAuthenticationMethodsOnAccount
                  || role.modifyProgrammaticAuthenticationMethodsOnUsers.contains(target.name)))) {
        return true;
      }
    }
    return false;
  }

  /** DESC USER: the user itself, or a role that may change its keys. */
  boolean mayDescribe(String activeRole, User current, User target) {
    return current == target || mayModifyKeys(activeRole, target);
  }

  /** A database with its schemas, for SHOW DATABASES / SHOW SCHEMAS and USE. */
  static final class Database {
    final String name;
    final Instant createdOn;
    final Map<String, Instant> schemas = new LinkedHashMap<>();

    Database(String name, Instant createdOn) {
      this.name = name;
      this.createdOn = createdOn;
    }

    Database schemas(Instant now, String... names) {
      for (String schema : names) {
        schemas.putIfAbsent(schema, now);
      }
      return this;
    }
  }
}
