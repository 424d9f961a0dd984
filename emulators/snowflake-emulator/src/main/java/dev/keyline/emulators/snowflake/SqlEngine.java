package dev.keyline.emulators.snowflake;

import dev.keyline.emulators.snowflake.QueryResult.Column;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs parsed statements against one session, with Snowflake's checks in Snowflake's order (the
 * object must exist, then the active role must be allowed). Called under the state's lock.
 */
final class SqlEngine {

  static final DateTimeFormatter DESC_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final FaultInjector faults;
  private final Clock clock;
  private final String serverVersion;

  SqlEngine(FaultInjector faults, Clock clock, String serverVersion) {
    this.faults = faults;
    this.clock = clock;
    this.serverVersion = serverVersion;
  }

  /**
   * @param describeOnly the driver only wants the result's columns: nothing is changed or checked
   *     beyond the syntax
   * @throws SnowflakeSqlError as Snowflake would answer
   */
  QueryResult execute(Session session, String sql, boolean describeOnly) {
    SqlStatement statement = SqlParser.parse(sql);
    String injected = describeOnly ? null : faults.takeStatementFailure(sql);
    if (injected != null) {
      throw SnowflakeSqlError.injected(injected, Identifiers.sql(targetUser(statement)));
    }
    return switch (statement) {
      case SqlStatement.AlterUserSet set -> alterSet(session, set, describeOnly);
      case SqlStatement.AlterUserUnset unset -> alterUnset(session, unset, describeOnly);
      case SqlStatement.DescribeUser desc -> describeUser(session, desc, describeOnly);
      case SqlStatement.Select select -> select(session, select);
      case SqlStatement.ShowDatabases show -> showDatabases(session, show, describeOnly);
      case SqlStatement.ShowSchemas show -> showSchemas(session, show, describeOnly);
      case SqlStatement.Use use -> use(session, use, describeOnly);
    };
  }

  /** The user a statement acts on, for the text of an injected error ("" for other statements). */
  private static String targetUser(SqlStatement statement) {
    return switch (statement) {
      case SqlStatement.AlterUserSet set -> set.user();
      case SqlStatement.AlterUserUnset unset -> unset.user();
      case SqlStatement.DescribeUser desc -> desc.user();
      default -> "";
    };
  }

  // ---- ALTER USER --------------------------------------------------------------------------

  private QueryResult alterSet(Session session, SqlStatement.AlterUserSet set, boolean describeOnly) {
    if (describeOnly) {
      return QueryResult.status(set.statementTypeId(), false);
    }
    User target = alterTarget(session, set.ifExists(), set.user());
    if (target == null) {
      return QueryResult.status(set.statementTypeId(), true);
    }
    Instant now = clock.instant();
    Map<Integer, KeySlot> parsed = new LinkedHashMap<>();
    set.properties()
        .forEach(
            (property, value) -> {
              try {
                parsed.put(slotIndex(property), KeySlot.parse(value, now));
              } catch (IllegalArgumentException e) {
                throw SnowflakeSqlError.invalidPublicKey(property, e.getMessage());
              }
            });
    parsed.forEach((slot, key) -> target.slots[slot] = key);
    return QueryResult.status(set.statementTypeId(), true);
  }

  private QueryResult alterUnset(
      Session session, SqlStatement.AlterUserUnset unset, boolean describeOnly) {
    if (describeOnly) {
      return QueryResult.status(unset.statementTypeId(), false);
    }
    User target = alterTarget(session, unset.ifExists(), unset.user());
    if (target != null) {
      unset.properties().forEach(property -> target.slots[slotIndex(property)] = null);
    }
    return QueryResult.status(unset.statementTypeId(), true);
  }

  /** The user to change, or {@code null} for IF EXISTS on a missing user. */
  private User alterTarget(Session session, boolean ifExists, String userName) {
    String injected = faults.takeAlterFailure();
    if (injected != null) {
      throw SnowflakeSqlError.injected(injected, Identifiers.sql(userName));
    }
    User target = session.account.users.get(userName);
    if (target == null) {
      if (ifExists) {
        return null;
      }
      throw SnowflakeSqlError.userDoesNotExist(Identifiers.sql(userName));
    }
    if (!session.account.mayModifyKeys(session.role, target)) {
      throw SnowflakeSqlError.insufficientPrivilegesOnUser(Identifiers.sql(target.name));
    }
    return target;
  }

  private static int slotIndex(String property) {
    return property.equals("RSA_PUBLIC_KEY") ? 0 : 1;
  }

  // ---- DESC USER ---------------------------------------------------------------------------

  private static final List<Column> DESC_COLUMNS =
      List.of(
          Column.text("property"),
          Column.text("value"),
          Column.text("default"),
          Column.text("description"));

  private QueryResult describeUser(
      Session session, SqlStatement.DescribeUser desc, boolean describeOnly) {
    if (describeOnly) {
      return new QueryResult(DESC_COLUMNS, List.of(), desc.statementTypeId());
    }
    User target = session.account.users.get(desc.user());
    if (target == null) {
      throw SnowflakeSqlError.userDoesNotExist(Identifiers.sql(desc.user()));
    }
    if (!session.account.mayDescribe(session.role, session.user, target)) {
      throw SnowflakeSqlError.insufficientPrivilegesOnUser(Identifiers.sql(target.name));
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(QueryResult.row("NAME", target.name, "null", "Name"));
    rows.add(
        QueryResult.row(
            "COMMENT",
            orNull(target.comment),
            "null",
            "user comment associated to an object in the dictionary"));
    rows.add(
        QueryResult.row(
            "DISPLAY_NAME", target.name, "null", "Display name of the associated object"));
    rows.add(QueryResult.row("TYPE", orNull(target.type), "null", "Type of the user"));
    rows.add(QueryResult.row("LOGIN_NAME", target.loginName, "null", "Login name of the user"));
    rows.add(QueryResult.row("DISABLED", "false", "false", "Whether the user is disabled"));
    rows.add(
        QueryResult.row(
            "DEFAULT_WAREHOUSE",
            orNull(target.defaultWarehouse),
            "null",
            "Default warehouse for this user"));
    rows.add(
        QueryResult.row(
            "DEFAULT_NAMESPACE", "null", "null", "Default database namespace prefix for this user"));
    rows.add(
        QueryResult.row(
            "DEFAULT_ROLE",
            orNull(target.defaultRole),
            "null",
            "Primary principal of user session will be set to this role"));
    rows.add(
        QueryResult.row(
            "DEFAULT_SECONDARY_ROLES",
            "null",
            "null",
            "The secondary roles will be set to all roles provided here"));
    keyRows(rows, target.slots[0], "RSA_PUBLIC_KEY", "RSA public key of the user", "");
    keyRows(rows, target.slots[1], "RSA_PUBLIC_KEY_2", "Second RSA public key of the user", "second ");
    rows.add(
        QueryResult.row(
            "PASSWORD_LAST_SET_TIME",
            "null",
            "null",
            "The timestamp on which the last non-null password was set for the user. Default to"
                + " null if no password has been set yet."));
    return new QueryResult(DESC_COLUMNS, rows, desc.statementTypeId());
  }

  private static void keyRows(
      List<List<String>> rows, KeySlot slot, String property, String description, String ordinal) {
    rows.add(QueryResult.row(property, slot == null ? "null" : slot.base64(), "null", description));
    rows.add(
        QueryResult.row(
            property + "_FP",
            slot == null ? "null" : slot.fingerprint(),
            "null",
            "Fingerprint of user's " + ordinal + "RSA public key."));
    rows.add(
        QueryResult.row(
            property + "_LAST_SET_TIME",
            slot == null ? "null" : DESC_TIME.format(slot.setAt()),
            "null",
            "The timestamp at which the " + ordinal + "RSA public key was last set for the user"));
  }

  private static String orNull(String value) {
    return value == null ? "null" : value;
  }

  // ---- SELECT ------------------------------------------------------------------------------

  private QueryResult select(Session session, SqlStatement.Select select) {
    List<Column> columns = new ArrayList<>();
    List<String> row = new ArrayList<>();
    for (SqlStatement.SelectItem item : select.items()) {
      if (item.literal() != null) {
        columns.add(Column.number(item.column(), Math.max(1, item.literal().length())));
        row.add(item.literal());
        continue;
      }
      columns.add(Column.text(item.column()));
      row.add(
          switch (item.function()) {
            case "CURRENT_USER" -> session.user.name;
            case "CURRENT_ROLE" -> session.role;
            case "CURRENT_ACCOUNT", "CURRENT_ACCOUNT_NAME" -> session.account.name;
            case "CURRENT_WAREHOUSE" -> session.warehouse;
            case "CURRENT_DATABASE" -> session.database;
            case "CURRENT_SCHEMA" -> session.schema;
            case "CURRENT_VERSION" -> serverVersion;
            case "CURRENT_SESSION" -> Long.toString(session.id);
            default -> throw new IllegalStateException("unhandled function " + item.function());
          });
    }
    return new QueryResult(columns, List.of(row), select.statementTypeId());
  }

  // ---- SHOW --------------------------------------------------------------------------------

  private static final List<Column> DATABASE_COLUMNS =
      List.of(
          Column.timestampLtz("created_on"),
          Column.text("name"),
          Column.text("is_default"),
          Column.text("is_current"),
          Column.text("origin"),
          Column.text("owner"),
          Column.text("comment"),
          Column.text("options"),
          Column.text("retention_time"),
          Column.text("kind"),
          Column.text("budget"),
          Column.text("owner_role_type"));

  private static final List<Column> SCHEMA_COLUMNS =
      List.of(
          Column.timestampLtz("created_on"),
          Column.text("name"),
          Column.text("is_default"),
          Column.text("is_current"),
          Column.text("database_name"),
          Column.text("owner"),
          Column.text("comment"),
          Column.text("options"),
          Column.text("retention_time"),
          Column.text("owner_role_type"),
          Column.text("budget"));

  private QueryResult showDatabases(
      Session session, SqlStatement.ShowDatabases show, boolean describeOnly) {
    List<List<String>> rows = new ArrayList<>();
    if (!describeOnly) {
      Pattern like = likePattern(show.like());
      session.account.databases.values().stream()
          .filter(d -> session.account.mayUse(session.role, d.usage))
          .filter(d -> like == null || like.matcher(d.name).matches())
          .sorted((a, b) -> a.name.compareTo(b.name))
          .forEach(
              d -> {
                boolean system = d.name.equals("SNOWFLAKE");
                boolean sample = d.name.equals("SNOWFLAKE_SAMPLE_DATA");
                rows.add(
                    QueryResult.row(
                        timestamp(d.createdOn),
                        d.name,
                        "N",
                        d.name.equals(session.database) ? "Y" : "N",
                        sample ? "SFSALESSHARED.SFC_SAMPLES.SAMPLE_DATA" : "",
                        system ? "" : sample ? "ACCOUNTADMIN" : "SYSADMIN",
                        "",
                        "",
                        system || sample ? "" : "1",
                        system ? "APPLICATION" : sample ? "IMPORTED DATABASE" : "STANDARD",
                        null,
                        system ? null : "ROLE"));
              });
    }
    return new QueryResult(DATABASE_COLUMNS, rows, show.statementTypeId());
  }

  private QueryResult showSchemas(
      Session session, SqlStatement.ShowSchemas show, boolean describeOnly) {
    if (describeOnly) {
      return new QueryResult(SCHEMA_COLUMNS, List.of(), show.statementTypeId());
    }
    // Only what the role may use is listed; a database it may not use "does not exist".
    Account account = session.account;
    List<Account.Database> databases = new ArrayList<>();
    if (show.inAccount()) {
      account.databases.values().stream()
          .filter(d -> account.mayUse(session.role, d.usage))
          .forEach(databases::add);
    } else {
      String name = show.database() != null ? show.database() : session.database;
      if (name == null) {
        throw SnowflakeSqlError.noCurrentDatabase("SCHEMAS");
      }
      Account.Database database = account.usableDatabase(session.role, name);
      if (database == null) {
        throw SnowflakeSqlError.databaseDoesNotExist(Identifiers.sql(name));
      }
      databases.add(database);
    }
    Pattern like = likePattern(show.like());
    List<List<String>> rows = new ArrayList<>();
    databases.stream()
        .sorted((a, b) -> a.name.compareTo(b.name))
        .forEach(
            d ->
                d.schemas.entrySet().stream()
                    .filter(e -> account.mayUseSchema(session.role, d, e.getKey()))
                    .filter(e -> like == null || like.matcher(e.getKey()).matches())
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(
                        e -> {
                          boolean infoSchema = e.getKey().equals("INFORMATION_SCHEMA");
                          rows.add(
                              QueryResult.row(
                                  timestamp(e.getValue().createdOn),
                                  e.getKey(),
                                  "N",
                                  d.name.equals(session.database)
                                          && e.getKey().equals(session.schema)
                                      ? "Y"
                                      : "N",
                                  d.name,
                                  infoSchema ? "" : "SYSADMIN",
                                  infoSchema ? "Views describing the contents of schemas in this database" : "",
                                  "",
                                  "1",
                                  infoSchema ? null : "ROLE",
                                  null));
                        }));
    return new QueryResult(SCHEMA_COLUMNS, rows, show.statementTypeId());
  }

  /** SQL LIKE, case-insensitive as in SHOW: {@code %} any run, {@code _} one character. */
  static Pattern likePattern(String like) {
    if (like == null) {
      return null;
    }
    StringBuilder regex = new StringBuilder();
    for (char c : like.toCharArray()) {
      switch (c) {
        case '%' -> regex.append(".*");
        case '_' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  }

  /** TIMESTAMP_LTZ in the JSON result format: epoch seconds with as many decimals as the scale (3). */
  static String timestamp(Instant instant) {
    long millis = instant.toEpochMilli();
    return String.format(
        Locale.ROOT, "%d.%03d", Math.floorDiv(millis, 1000L), Math.floorMod(millis, 1000L));
  }

  // ---- USE ---------------------------------------------------------------------------------

  private QueryResult use(Session session, SqlStatement.Use use, boolean describeOnly) {
    if (describeOnly) {
      return QueryResult.status(use.statementTypeId(), false);
    }
    Account account = session.account;
    switch (use.kind()) {
      case ROLE -> {
        if (!account.roles.containsKey(use.name())
            || !account.availableRoles(session.user).contains(use.name())) {
          throw SnowflakeSqlError.roleDoesNotExist(Identifiers.sql(use.name()));
        }
        session.role = use.name();
      }
      // A missing object and one the role may not use give the same error, as on Snowflake.
      case WAREHOUSE -> {
        if (account.usableWarehouse(session.role, use.name()) == null) {
          throw SnowflakeSqlError.objectDoesNotExist();
        }
        session.warehouse = use.name();
      }
      case DATABASE -> {
        Account.Database database = account.usableDatabase(session.role, use.name());
        if (database == null) {
          throw SnowflakeSqlError.objectDoesNotExist();
        }
        session.database = database.name;
        session.schema =
            account.mayUseSchema(session.role, database, Account.PUBLIC) ? Account.PUBLIC : null;
      }
      case SCHEMA -> {
        String databaseName = use.database() != null ? use.database() : session.database;
        Account.Database database = account.usableDatabase(session.role, databaseName);
        if (database == null || !account.mayUseSchema(session.role, database, use.name())) {
          throw SnowflakeSqlError.objectDoesNotExist();
        }
        session.database = database.name;
        session.schema = use.name();
      }
    }
    return QueryResult.status(use.statementTypeId(), true);
  }
}
