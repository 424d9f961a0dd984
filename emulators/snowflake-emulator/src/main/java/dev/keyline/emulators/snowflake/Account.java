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
 * shared databases SNOWFLAKE and SNOWFLAKE_SAMPLE_DATA and the warehouse COMPUTE_WH, all three
 * usable by every role (USAGE granted to PUBLIC).
 *
 * <p>Who may use a warehouse, database or schema: a role that holds USAGE on it or owns it,
 * directly or through a role it inherits. Warehouses, databases and schemas are owned by SYSADMIN
 * (what SHOW DATABASES reports), so SYSADMIN and ACCOUNTADMIN may use them all. Secondary roles
 * are not emulated: only the session's role and its hierarchy count.
 */
final class Account {

  static final String PUBLIC = "PUBLIC";
  static final String INFORMATION_SCHEMA = "INFORMATION_SCHEMA";
  /** The owner of every warehouse, database and schema (their OWNERSHIP grants USAGE too). */
  static final String OBJECT_OWNER = "SYSADMIN";

  final String name;
  final Instant createdOn;
  final Map<String, User> users = new LinkedHashMap<>();
  final Map<String, Role> roles = new LinkedHashMap<>();
  final Map<String, Warehouse> warehouses = new LinkedHashMap<>();
  final Map<String, Database> databases = new LinkedHashMap<>();

  Account(String name, Instant now) {
    this.name = name;
    this.createdOn = now;
    for (String role : List.of("ACCOUNTADMIN", "SECURITYADMIN", "USERADMIN", "SYSADMIN", PUBLIC)) {
      roles.put(role, new Role(role, now));
    }
    roles.get("ACCOUNTADMIN").inheritedRoles.addAll(List.of("SECURITYADMIN", "SYSADMIN"));
    roles.get("SECURITYADMIN").inheritedRoles.add("USERADMIN");
    warehouse("COMPUTE_WH", now).usage.add(PUBLIC);
    Set<String> everyone = Set.of(PUBLIC);
    Database snowflake = new Database("SNOWFLAKE", now);
    databases.put(snowflake.name, snowflake.grant(everyone));
    snowflake.schemas(now, everyone, "ACCOUNT_USAGE", INFORMATION_SCHEMA, "ORGANIZATION_USAGE");
    Database sample = new Database("SNOWFLAKE_SAMPLE_DATA", now);
    databases.put(sample.name, sample.grant(everyone));
    sample.schemas(now, everyone, INFORMATION_SCHEMA, "TPCH_SF1");
  }

  /** The warehouse, created without any USAGE grant when absent. */
  Warehouse warehouse(String warehouseName, Instant now) {
    return warehouses.computeIfAbsent(warehouseName, n -> new Warehouse(n, now));
  }

  /**
   * Declares a database: creates it when absent (with INFORMATION_SCHEMA and PUBLIC), grants USAGE
   * on it to {@code usage}, and on its PUBLIC schema too when this call created it.
   */
  Database database(String databaseName, Set<String> usage, Instant now) {
    return database(databaseName, usage, usage, now);
  }

  /** As above, granting {@code publicSchemaUsage} (not {@code usage}) on a created PUBLIC schema. */
  Database database(
      String databaseName, Set<String> usage, Set<String> publicSchemaUsage, Instant now) {
    Database existing = databases.get(databaseName);
    if (existing != null) {
      return existing.grant(usage);
    }
    Database created = new Database(databaseName, now).grant(usage);
    created.schemas(now, usage, INFORMATION_SCHEMA);
    created.schemas(now, publicSchemaUsage, PUBLIC);
    databases.put(databaseName, created);
    return created;
  }

  /** Unknown roles refused, as GRANT … TO ROLE refuses them. */
  void requireRoles(Iterable<String> roleNames) {
    for (String roleName : roleNames) {
      existing(roles, "role", roleName);
    }
  }

  /** {@code objects.get(objectName)}, refused naming the kind when absent (for the Java API). */
  <T> T existing(Map<String, T> objects, String kind, String objectName) {
    return existing(objects, kind, objectName, "account " + name);
  }

  /** As above, saying where it was looked for (a database, for its schemas). */
  static <T> T existing(Map<String, T> objects, String kind, String objectName, String where) {
    T found = objects.get(objectName);
    if (found == null) {
      throw new IllegalArgumentException("no " + kind + " " + objectName + " in " + where);
    }
    return found;
  }

  /** Whether the role (or a role it inherits) holds USAGE in {@code usage} or owns the object. */
  boolean mayUse(String roleName, Set<String> usage) {
    for (String role : closure(roleName)) {
      if (role.equals(OBJECT_OWNER) || usage.contains(role)) {
        return true;
      }
    }
    return false;
  }

  /** The warehouse if it exists and the role may use it (Snowflake answers both cases alike). */
  Warehouse usableWarehouse(String roleName, String warehouseName) {
    Warehouse warehouse = warehouseName == null ? null : warehouses.get(warehouseName);
    return warehouse != null && mayUse(roleName, warehouse.usage) ? warehouse : null;
  }

  /** The database if it exists and the role may use it. */
  Database usableDatabase(String roleName, String databaseName) {
    Database database = databaseName == null ? null : databases.get(databaseName);
    return database != null && mayUse(roleName, database.usage) ? database : null;
  }

  /**
   * Whether the role may use this schema of a database it may use: USAGE on the schema too, except
   * for INFORMATION_SCHEMA, which USAGE on the database opens.
   */
  boolean mayUseSchema(String roleName, Database database, String schemaName) {
    Schema schema = database.schemas.get(schemaName);
    return schema != null
        && (schemaName.equals(INFORMATION_SCHEMA) || mayUse(roleName, schema.usage));
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

  /** A warehouse and the roles granted USAGE on it. */
  static final class Warehouse {
    final String name;
    final Instant createdOn;
    final Set<String> usage = new LinkedHashSet<>();

    Warehouse(String name, Instant createdOn) {
      this.name = name;
      this.createdOn = createdOn;
    }
  }

  /** A database with its schemas, for SHOW DATABASES / SHOW SCHEMAS and USE. */
  static final class Database {
    final String name;
    final Instant createdOn;
    final Set<String> usage = new LinkedHashSet<>();
    final Map<String, Schema> schemas = new LinkedHashMap<>();

    Database(String name, Instant createdOn) {
      this.name = name;
      this.createdOn = createdOn;
    }

    Database grant(Set<String> roles) {
      usage.addAll(roles);
      return this;
    }

    /** Creates the schemas that are absent and grants USAGE on each to {@code roles}. */
    Database schemas(Instant now, Set<String> roles, String... names) {
      for (String schema : names) {
        schemas.computeIfAbsent(schema, n -> new Schema(now)).usage.addAll(roles);
      }
      return this;
    }
  }

  /** A schema and the roles granted USAGE on it. */
  static final class Schema {
    final Instant createdOn;
    final Set<String> usage = new LinkedHashSet<>();

    Schema(Instant createdOn) {
      this.createdOn = createdOn;
    }
  }
}
