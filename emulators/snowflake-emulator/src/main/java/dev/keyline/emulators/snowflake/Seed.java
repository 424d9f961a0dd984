package dev.keyline.emulators.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed file format (also what {@code GET /__admin/state} returns, so a dump can be loaded
 * again):
 *
 * <pre>
 * {"accounts": [{
 *   "name": "ACME",
 *   "warehouses": ["COMPUTE_WH", "ETL_WH", {"name": "FINANCE_WH", "usage": ["FINANCE"]}],
 *   "databases": [{"name": "ANALYTICS", "schemas": ["RAW", "MART"]},
 *                 {"name": "FINANCE", "usage": ["FINANCE", "AUDITOR"],
 *                  "schemas": ["PUBLIC", {"name": "PAYROLL", "usage": ["FINANCE"]}]}],
 *   "roles": [{"name": "KEY_ADMIN", "roles": ["SYSADMIN"],
 *              "grants": [{"privilege": "MODIFY PROGRAMMATIC AUTHENTICATION METHODS", "on": "USER", "name": "SVC_A"},
 *                         {"privilege": "MODIFY PROGRAMMATIC AUTHENTICATION METHODS", "on": "ACCOUNT"},
 *                         {"privilege": "OWNERSHIP", "on": "USER", "name": "SVC_B"}]},
 *             {"name": "FINANCE"}, {"name": "AUDITOR"}],
 *   "users": [{"name": "SVC_A", "loginName": "SVC_A", "defaultRole": "LOADER", "roles": ["LOADER"],
 *              "defaultWarehouse": "ETL_WH", "owner": "USERADMIN", "type": "SERVICE", "comment": "…",
 *              "rsaPublicKey": "MIIBIjAN…", "rsaPublicKey2": null}]
 * }]}
 * </pre>
 *
 * Names follow Snowflake's identifier rules (unquoted upper-cased, {@code "\"quoted\""} kept);
 * account and login names are case-insensitive. Keys are PEM or bare base64 of the SPKI DER.
 * A warehouse given by its name alone, and a database without {@code usage}, are usable by every
 * role (USAGE granted to PUBLIC); {@code usage} lists the only roles granted USAGE (they must be
 * known; SYSADMIN, the owner, may always use them). A database's schemas get the database's
 * {@code usage} unless given as an object with their own; a database created by the seed grants it
 * on its PUBLIC schema too, unless PUBLIC is listed. Grants are added, never revoked. Roles
 * named in a user's {@code roles} are created when missing; a user's {@code owner} defaults to
 * USERADMIN. Loading merges into the existing state; unknown fields are refused (typos would
 * otherwise silently weaken a test).
 */
final class Seed {

  private static final Set<String> ROOT_FIELDS = Set.of("accounts", "sessions", "loginCount", "tokenRenewalCount");
  private static final Set<String> ACCOUNT_FIELDS =
      Set.of("name", "warehouses", "databases", "roles", "users");
  private static final Set<String> DATABASE_FIELDS = Set.of("name", "usage", "schemas");
  /** A warehouse or schema given as an object rather than by its name. */
  private static final Set<String> NAMED_FIELDS = Set.of("name", "usage");
  private static final Set<String> ROLE_FIELDS = Set.of("name", "roles", "grants");
  private static final Set<String> GRANT_FIELDS = Set.of("privilege", "on", "name");
  private static final Set<String> USER_FIELDS =
      Set.of(
          "name",
          "loginName",
          "defaultRole",
          "defaultWarehouse",
          "type",
          "comment",
          "roles",
          "owner",
          "rsaPublicKey",
          "rsaPublicKey2",
          // written by the state dump, ignored on load
          "rsaPublicKeyFp",
          "rsaPublicKeyLastSetTime",
          "rsaPublicKey2Fp",
          "rsaPublicKey2LastSetTime");

  static final String OWNERSHIP = "OWNERSHIP";
  static final String MPAM = "MODIFY PROGRAMMATIC AUTHENTICATION METHODS";
  /** What a plain warehouse name or a database without {@code usage} grants. */
  private static final Set<String> EVERY_ROLE = Set.of(Account.PUBLIC);

  private Seed() {}

  static JsonNode read(String json) {
    try {
      JsonNode root = Json.MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("seed: the document must be a JSON object");
      }
      return root;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("seed: not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("seed: not valid JSON: " + e.getMessage());
    }
  }

  /**
   * Checks the whole document first, then applies it.
   *
   * @throws IllegalArgumentException naming the offending entry; nothing is applied then
   */
  static void apply(Backend backend, JsonNode root) {
    backend.locked(
        () -> {
          List<Runnable> steps = plan(backend, root);
          steps.forEach(Runnable::run);
          return null;
        });
  }

  private static List<Runnable> plan(Backend backend, JsonNode root) {
    fields(root, ROOT_FIELDS, "seed");
    List<Runnable> steps = new ArrayList<>();
    List<Runnable> grantSteps = new ArrayList<>();
    Instant now = backend.now();
    for (JsonNode accountNode : array(root, "accounts", "seed")) {
      fields(accountNode, ACCOUNT_FIELDS, "account");
      String accountName = Identifiers.upper(required(accountNode, "name", "account"));
      String where = "account " + accountName;
      Account existing = backend.accounts().get(accountName);
      steps.add(() -> backend.accountOrCreate(accountName));

      Set<String> knownUsers = new HashSet<>(existing == null ? Set.of() : existing.users.keySet());
      Set<String> knownRoles =
          new HashSet<>(
              existing == null
                  ? new Account(accountName, now).roles.keySet()
                  : existing.roles.keySet());

      // USAGE grants, checked against the roles once all are known
      List<Named> usageGrants = new ArrayList<>();
      for (JsonNode warehouseNode : array(accountNode, "warehouses", where)) {
        Named warehouse = named(warehouseNode, where + " warehouse", EVERY_ROLE);
        usageGrants.add(warehouse);
        steps.add(
            () ->
                backend
                    .account(accountName)
                    .warehouse(warehouse.name(), now)
                    .usage
                    .addAll(warehouse.usage()));
      }
      for (JsonNode databaseNode : array(accountNode, "databases", where)) {
        fields(databaseNode, DATABASE_FIELDS, where + " database");
        String name = identifier(required(databaseNode, "name", where + " database"), where + " database");
        String databaseWhere = where + " database " + name;
        Named database = new Named(name, usage(databaseNode, databaseWhere, EVERY_ROLE), databaseWhere);
        usageGrants.add(database);
        List<Named> schemas = new ArrayList<>();
        for (JsonNode schemaNode : array(databaseNode, "schemas", database.where())) {
          schemas.add(named(schemaNode, database.where() + " schema", database.usage()));
        }
        usageGrants.addAll(schemas);
        // A database the seed creates grants its usage on PUBLIC too, unless PUBLIC is listed.
        boolean publicListed =
            schemas.stream().anyMatch(schema -> schema.name().equals(Account.PUBLIC));
        Set<String> publicUsage = publicListed ? Set.of() : database.usage();
        steps.add(
            () -> {
              Account.Database created =
                  backend.account(accountName).database(name, database.usage(), publicUsage, now);
              schemas.forEach(schema -> created.schemas(now, schema.usage(), schema.name()));
            });
      }
      for (JsonNode roleNode : array(accountNode, "roles", where)) {
        fields(roleNode, ROLE_FIELDS, where + " role");
        String name = identifier(required(roleNode, "name", where + " role"), where + " role");
        knownRoles.add(name);
        steps.add(() -> backend.account(accountName).roleOrCreate(name, now));
      }

      // users
      Map<String, String> ownerOf = new LinkedHashMap<>();
      for (JsonNode userNode : array(accountNode, "users", where)) {
        fields(userNode, USER_FIELDS, where + " user");
        String name = identifier(required(userNode, "name", where + " user"), where + " user");
        String userWhere = where + " user " + name;
        knownUsers.add(name);
        String loginName = optional(userNode, "loginName", userWhere);
        String defaultRole = optionalIdentifier(userNode, "defaultRole", userWhere);
        String defaultWarehouse = optionalIdentifier(userNode, "defaultWarehouse", userWhere);
        String type = optional(userNode, "type", userWhere);
        String comment = optional(userNode, "comment", userWhere);
        String owner = optionalIdentifier(userNode, "owner", userWhere);
        List<String> granted = new ArrayList<>();
        for (JsonNode role : array(userNode, "roles", userWhere)) {
          String roleName = identifier(role.asText(null), userWhere + " role");
          granted.add(roleName);
          knownRoles.add(roleName);
        }
        if (owner != null) {
          ownerOf.put(name, owner);
        }
        KeySlot[] keys = new KeySlot[2];
        boolean[] keyGiven = new boolean[2];
        String[] keyFields = {"rsaPublicKey", "rsaPublicKey2"};
        for (int i = 0; i < 2; i++) {
          if (userNode.has(keyFields[i])) {
            keyGiven[i] = true;
            String value = optional(userNode, keyFields[i], userWhere);
            if (value != null) {
              try {
                keys[i] = KeySlot.parse(value, now);
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "seed: " + userWhere + " " + keyFields[i] + ": " + e.getMessage());
              }
            }
          }
        }
        steps.add(
            () -> {
              Account account = backend.account(accountName);
              User user = account.users.computeIfAbsent(name, n -> new User(n, now));
              if (loginName != null) {
                user.loginName = Identifiers.upper(loginName);
              }
              for (User other : account.users.values()) {
                if (other != user && other.loginName.equals(user.loginName)) {
                  throw new IllegalArgumentException(
                      "seed: "
                          + userWhere
                          + ": login name "
                          + user.loginName
                          + " is already used by user "
                          + other.name);
                }
              }
              if (defaultRole != null) {
                user.defaultRole = defaultRole;
              }
              if (defaultWarehouse != null) {
                user.defaultWarehouse = defaultWarehouse;
              }
              if (type != null) {
                user.type = type;
              }
              if (comment != null) {
                user.comment = comment;
              }
              for (String role : granted) {
                account.roleOrCreate(role, now);
                user.grantedRoles.add(role);
              }
              for (int i = 0; i < 2; i++) {
                if (keyGiven[i]) {
                  user.slots[i] = keys[i];
                }
              }
            });
      }

      for (Named grant : usageGrants) {
        for (String role : grant.usage()) {
          if (!knownRoles.contains(role)) {
            throw new IllegalArgumentException(
                "seed: " + grant.where() + " grants USAGE to unknown role " + role);
          }
        }
      }

      // role hierarchy and grants, once all users and roles exist
      for (JsonNode roleNode : array(accountNode, "roles", where)) {
        String name = identifier(roleNode.path("name").asText(), where + " role");
        String roleWhere = where + " role " + name;
        List<String> inherited = new ArrayList<>();
        for (JsonNode inheritedRole : array(roleNode, "roles", roleWhere)) {
          String inheritedName = identifier(inheritedRole.asText(null), roleWhere + " roles");
          if (!knownRoles.contains(inheritedName)) {
            throw new IllegalArgumentException(
                "seed: " + roleWhere + " inherits unknown role " + inheritedName);
          }
          inherited.add(inheritedName);
        }
        grantSteps.add(() -> backend.account(accountName).roles.get(name).inheritedRoles.addAll(inherited));
        for (JsonNode grant : array(roleNode, "grants", roleWhere)) {
          fields(grant, GRANT_FIELDS, roleWhere + " grant");
          String privilege =
              required(grant, "privilege", roleWhere + " grant").trim().toUpperCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
          String on = required(grant, "on", roleWhere + " grant").trim().toUpperCase(java.util.Locale.ROOT);
          if (on.equals("ACCOUNT")) {
            if (!privilege.equals(MPAM)) {
              throw new IllegalArgumentException(
                  "seed: " + roleWhere + ": only " + MPAM + " is emulated ON ACCOUNT, not " + privilege);
            }
            grantSteps.add(
                () -> backend.account(accountName).roles.get(name).modifyProgrammaticAuthenticationMethodsOnAccount = true);
            continue;
          }
          if (!on.equals("USER")) {
            throw new IllegalArgumentException(
                "seed: " + roleWhere + ": grants ON " + on + " are not emulated (USER or ACCOUNT)");
          }
          String user = identifier(required(grant, "name", roleWhere + " grant"), roleWhere + " grant");
          if (!knownUsers.contains(user)) {
            throw new IllegalArgumentException("seed: " + roleWhere + ": grant on unknown user " + user);
          }
          switch (privilege) {
            case OWNERSHIP -> ownerOf.put(user, name);
            case MPAM ->
                grantSteps.add(
                    () ->
                        backend
                            .account(accountName)
                            .roles
                            .get(name)
                            .modifyProgrammaticAuthenticationMethodsOnUsers
                            .add(user));
            default ->
                throw new IllegalArgumentException(
                    "seed: " + roleWhere + ": privilege " + privilege + " is not emulated ("
                        + OWNERSHIP + " or " + MPAM + ")");
          }
        }
      }
      for (Map.Entry<String, String> ownership : ownerOf.entrySet()) {
        if (!knownRoles.contains(ownership.getValue())) {
          throw new IllegalArgumentException(
              "seed: " + where + " user " + ownership.getKey() + " is owned by unknown role " + ownership.getValue());
        }
        grantSteps.add(
            () -> backend.account(accountName).users.get(ownership.getKey()).ownerRole = ownership.getValue());
      }
    }
    steps.addAll(grantSteps);
    return steps;
  }

  /** The whole state in the seed format, plus fingerprints and counters. */
  static ObjectNode dump(Backend backend) {
    return backend.locked(
        () -> {
          ObjectNode root = Json.object();
          ArrayNode accounts = root.putArray("accounts");
          for (Account account : backend.accounts().values()) {
            ObjectNode a = accounts.addObject();
            a.put("name", account.name);
            ArrayNode warehouses = a.putArray("warehouses");
            for (Account.Warehouse warehouse : account.warehouses.values()) {
              if (warehouse.usage.equals(EVERY_ROLE)) {
                warehouses.add(Identifiers.sql(warehouse.name));
              } else {
                ObjectNode w = warehouses.addObject().put("name", Identifiers.sql(warehouse.name));
                putUsage(w, warehouse.usage);
              }
            }
            ArrayNode databases = a.putArray("databases");
            for (Account.Database database : account.databases.values()) {
              ObjectNode d = databases.addObject();
              d.put("name", Identifiers.sql(database.name));
              putUsage(d, database.usage);
              ArrayNode schemas = d.putArray("schemas");
              database.schemas.forEach(
                  (name, schema) -> {
                    // INFORMATION_SCHEMA follows the database whatever its own grants
                    if (name.equals(Account.INFORMATION_SCHEMA)
                        || schema.usage.equals(database.usage)) {
                      schemas.add(Identifiers.sql(name));
                    } else {
                      putUsage(schemas.addObject().put("name", Identifiers.sql(name)), schema.usage);
                    }
                  });
            }
            ArrayNode roles = a.putArray("roles");
            for (Role role : account.roles.values()) {
              ObjectNode r = roles.addObject();
              r.put("name", Identifiers.sql(role.name));
              ArrayNode inherited = r.putArray("roles");
              role.inheritedRoles.forEach(i -> inherited.add(Identifiers.sql(i)));
              ArrayNode grants = r.putArray("grants");
              if (role.modifyProgrammaticAuthenticationMethodsOnAccount) {
                grants.addObject().put("privilege", MPAM).put("on", "ACCOUNT");
              }
              for (String user : role.modifyProgrammaticAuthenticationMethodsOnUsers) {
                grants.addObject().put("privilege", MPAM).put("on", "USER").put("name", Identifiers.sql(user));
              }
            }
            ArrayNode users = a.putArray("users");
            for (User user : account.users.values()) {
              ObjectNode u = users.addObject();
              u.put("name", Identifiers.sql(user.name));
              u.put("loginName", user.loginName);
              putIdentifier(u, "defaultRole", user.defaultRole);
              putIdentifier(u, "defaultWarehouse", user.defaultWarehouse);
              Backend.putNullable(u, "type", user.type);
              Backend.putNullable(u, "comment", user.comment);
              ArrayNode granted = u.putArray("roles");
              user.grantedRoles.forEach(g -> granted.add(Identifiers.sql(g)));
              u.put("owner", Identifiers.sql(user.ownerRole));
              KeySlots slots = user.keySlots();
              Backend.putNullable(u, "rsaPublicKey", slots.rsaPublicKey());
              Backend.putNullable(u, "rsaPublicKeyFp", slots.rsaPublicKeyFp());
              Backend.putNullable(
                  u,
                  "rsaPublicKeyLastSetTime",
                  slots.rsaPublicKeyLastSetTime() == null ? null : slots.rsaPublicKeyLastSetTime().toString());
              Backend.putNullable(u, "rsaPublicKey2", slots.rsaPublicKey2());
              Backend.putNullable(u, "rsaPublicKey2Fp", slots.rsaPublicKey2Fp());
              Backend.putNullable(
                  u,
                  "rsaPublicKey2LastSetTime",
                  slots.rsaPublicKey2LastSetTime() == null ? null : slots.rsaPublicKey2LastSetTime().toString());
            }
          }
          root.put("sessions", backend.openSessions());
          root.put("loginCount", backend.successfulLogins());
          root.put("tokenRenewalCount", backend.tokenRenewals());
          return root;
        });
  }

  private static void putUsage(ObjectNode node, Set<String> roles) {
    ArrayNode usage = node.putArray("usage");
    roles.forEach(role -> usage.add(Identifiers.sql(role)));
  }

  /** A warehouse, database or schema and the roles the seed grants USAGE on it. */
  private record Named(String name, Set<String> usage, String where) {}

  /** A plain name (USAGE granted to {@code defaultUsage}) or {@code {"name": …, "usage": […]}}. */
  private static Named named(JsonNode node, String where, Set<String> defaultUsage) {
    if (node.isTextual()) {
      String name = identifier(node.asText(), where);
      return new Named(name, defaultUsage, where + " " + name);
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("seed: " + where + " must be a name or a JSON object");
    }
    fields(node, NAMED_FIELDS, where);
    String name = identifier(required(node, "name", where), where);
    return new Named(name, usage(node, where + " " + name, defaultUsage), where + " " + name);
  }

  /** The roles in {@code usage}, or {@code defaultUsage} without that field. */
  private static Set<String> usage(JsonNode node, String where, Set<String> defaultUsage) {
    if (node.path("usage").isMissingNode() || node.path("usage").isNull()) {
      return defaultUsage;
    }
    Set<String> roles = new LinkedHashSet<>();
    for (JsonNode role : array(node, "usage", where)) {
      roles.add(identifier(role.asText(null), where + " usage"));
    }
    return roles;
  }

  private static void putIdentifier(ObjectNode node, String field, String value) {
    Backend.putNullable(node, field, value == null ? null : Identifiers.sql(value));
  }

  private static void fields(JsonNode node, Set<String> allowed, String where) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("seed: " + where + " must be a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(
            "seed: " + where + " has unknown field '" + name + "' (known: " + allowed + ")");
      }
    }
  }

  private static Iterable<JsonNode> array(JsonNode node, String field, String where) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException("seed: " + where + " field '" + field + "' must be an array");
    }
    return value;
  }

  private static String required(JsonNode node, String field, String where) {
    String value = optional(node, field, where);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("seed: " + where + " needs a '" + field + "'");
    }
    return value;
  }

  private static String optional(JsonNode node, String field, String where) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("seed: " + where + " field '" + field + "' must be a string");
    }
    return value.asText();
  }

  private static String optionalIdentifier(JsonNode node, String field, String where) {
    String value = optional(node, field, where);
    return value == null ? null : identifier(value, where + " " + field);
  }

  private static String identifier(String raw, String where) {
    try {
      return Identifiers.normalize(raw);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("seed: " + where + ": " + e.getMessage());
    }
  }
}
