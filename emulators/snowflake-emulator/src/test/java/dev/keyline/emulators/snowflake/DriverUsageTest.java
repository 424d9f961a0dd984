package dev.keyline.emulators.snowflake;

import static dev.keyline.emulators.snowflake.TestDriver.execute;
import static dev.keyline.emulators.snowflake.TestDriver.key;
import static dev.keyline.emulators.snowflake.TestDriver.query;
import static dev.keyline.emulators.snowflake.TestDriver.sqlError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * USAGE on warehouses, databases and schemas, through the real driver: Snowflake logs in without
 * the ones the session's role may not use, and USE treats them as missing.
 */
class DriverUsageTest {

  private static final String ACCOUNT = "USAGE_ACME";
  private static final KeyPair KEY = key("usage");
  private static final String SESSION =
      "SELECT CURRENT_WAREHOUSE() w, CURRENT_DATABASE() d, CURRENT_SCHEMA() s, CURRENT_ROLE() r";
  private static SnowflakeEmulator snowflake;
  private static SnowflakeAccount account;

  @BeforeAll
  static void seed() {
    snowflake = TestDriver.emulator();
    account = snowflake.account(ACCOUNT);
    account.role("OTHER");
    account.role("WH_USERS");
    // READER gets its USAGE only through WH_USERS, which it inherits.
    account.role("READER").inherits("WH_USERS");
    account.restrictedWarehouse("LOCKED_WH", "OTHER").restrictedWarehouse("SHARED_WH", "WH_USERS");
    account
        .restrictedDatabase("LOCKED_DB", List.of("OTHER"), "RAW")
        .restrictedDatabase("SHARED_DB", List.of("WH_USERS"), "RAW")
        // OTHER may use SHARED_DB and its SECRET schema; WH_USERS only the database, not SECRET.
        .restrictedDatabase("SHARED_DB", List.of("OTHER"), "SECRET");
    account.user("ANALYST").role("READER").rsaPublicKey(KEY.getPublic());
    account.user("DEFAULTED").role("READER").defaultWarehouse("LOCKED_WH").rsaPublicKey(KEY.getPublic());
    account.user("OPS").role("SYSADMIN").rsaPublicKey(KEY.getPublic());
  }

  private static Map<String, String> session(String user, String warehouse, String db, String schema)
      throws SQLException {
    Properties props = TestDriver.props(ACCOUNT, user, KEY.getPrivate(), null);
    if (warehouse != null) {
      props.put("warehouse", warehouse);
    }
    if (db != null) {
      props.put("db", db);
    }
    if (schema != null) {
      props.put("schema", schema);
    }
    try (Connection connection = DriverManager.getConnection(snowflake.jdbcUrl(), props)) {
      return query(connection, SESSION).get(0);
    }
  }

  private static Map<String, String> row(String w, String d, String s, String r) {
    Map<String, String> row = new HashMap<>();
    row.put("W", w);
    row.put("D", d);
    row.put("S", s);
    row.put("R", r);
    return row;
  }

  @Test
  void aLoginGetsOnlyTheWarehouseAndDatabaseItsRoleMayUse() throws SQLException {
    // The login succeeds; the session just has none of what the role may not use.
    assertThat(session("ANALYST", "LOCKED_WH", "LOCKED_DB", "RAW")).isEqualTo(row(null, null, null, "READER"));
    // USAGE granted to WH_USERS, which READER inherits.
    assertThat(session("ANALYST", "SHARED_WH", "SHARED_DB", "RAW"))
        .isEqualTo(row("SHARED_WH", "SHARED_DB", "RAW", "READER"));
    assertThat(session("ANALYST", "shared_wh", "shared_db", null))
        .isEqualTo(row("SHARED_WH", "SHARED_DB", "PUBLIC", "READER"));
    // USAGE on the database but not on the schema: the database without a schema.
    assertThat(session("ANALYST", null, "SHARED_DB", "SECRET")).isEqualTo(row(null, "SHARED_DB", null, "READER"));
    // A default warehouse the role may not use is not applied either.
    assertThat(session("DEFAULTED", null, null, null)).isEqualTo(row(null, null, null, "READER"));
    // SYSADMIN owns them all.
    assertThat(session("OPS", "LOCKED_WH", "SHARED_DB", "SECRET"))
        .isEqualTo(row("LOCKED_WH", "SHARED_DB", "SECRET", "SYSADMIN"));
  }

  @Test
  void grantingUsageLaterOpensTheWarehouseAndDatabaseToTheNextLogin() throws SQLException {
    account.restrictedWarehouse("LATER_WH").restrictedDatabase("LATER_DB", List.of(), "RAW");
    assertThat(session("ANALYST", "LATER_WH", "LATER_DB", "RAW")).isEqualTo(row(null, null, null, "READER"));

    account.role("WH_USERS").usageOnWarehouse("LATER_WH").usageOnDatabase("LATER_DB");
    // USAGE on the database alone: no schema (but INFORMATION_SCHEMA).
    assertThat(session("ANALYST", "LATER_WH", "LATER_DB", "RAW"))
        .isEqualTo(row("LATER_WH", "LATER_DB", null, "READER"));
    assertThat(session("ANALYST", null, "LATER_DB", "INFORMATION_SCHEMA"))
        .isEqualTo(row(null, "LATER_DB", "INFORMATION_SCHEMA", "READER"));

    account.role("WH_USERS").usageOnDatabase("LATER_DB", "RAW");
    assertThat(session("ANALYST", "LATER_WH", "LATER_DB", "RAW"))
        .isEqualTo(row("LATER_WH", "LATER_DB", "RAW", "READER"));

    assertThatThrownBy(() -> account.role("WH_USERS").usageOnWarehouse("NO_SUCH_WH"))
        .hasMessageContaining("no warehouse NO_SUCH_WH");
    assertThatThrownBy(() -> account.restrictedWarehouse("LATER_WH", "NO_SUCH_ROLE"))
        .hasMessageContaining("no role NO_SUCH_ROLE");
  }

  @Test
  void useRefusesWhatTheRoleMayNotUseExactlyAsWhatDoesNotExist() throws SQLException {
    try (Connection connection = TestDriver.connect(ACCOUNT, "ANALYST", KEY.getPrivate())) {
      assertSameError(connection, "USE WAREHOUSE LOCKED_WH", "USE WAREHOUSE NOPE_WH");
      assertSameError(connection, "USE DATABASE LOCKED_DB", "USE DATABASE NOPE_DB");
      assertSameError(connection, "USE SCHEMA LOCKED_DB.RAW", "USE SCHEMA NOPE_DB.RAW");
      assertSameError(connection, "USE SCHEMA SHARED_DB.SECRET", "USE SCHEMA SHARED_DB.NOPE");
      assertThat(query(connection, SESSION)).containsExactly(row(null, null, null, "READER"));

      execute(connection, "USE WAREHOUSE SHARED_WH");
      execute(connection, "USE DATABASE SHARED_DB");
      assertThat(query(connection, SESSION)).containsExactly(row("SHARED_WH", "SHARED_DB", "PUBLIC", "READER"));
      execute(connection, "USE SCHEMA RAW");
      assertThat(query(connection, SESSION)).containsExactly(row("SHARED_WH", "SHARED_DB", "RAW", "READER"));
    }
  }

  @Test
  void showListsOnlyWhatTheRoleMayUse() throws SQLException {
    try (Connection connection = TestDriver.connect(ACCOUNT, "ANALYST", KEY.getPrivate())) {
      List<String> databases =
          query(connection, "SHOW DATABASES").stream().map(row -> row.get("name")).toList();
      assertThat(databases).contains("SHARED_DB", "SNOWFLAKE").doesNotContain("LOCKED_DB");

      SQLException locked = sqlError(() -> query(connection, "SHOW SCHEMAS IN DATABASE LOCKED_DB"));
      SQLException missing = sqlError(() -> query(connection, "SHOW SCHEMAS IN DATABASE NOPE_DB"));
      assertThat(locked.getErrorCode()).isEqualTo(missing.getErrorCode()).isEqualTo(2003);
      assertThat(locked.getMessage()).contains("'LOCKED_DB' does not exist or not authorized");

      assertThat(query(connection, "SHOW SCHEMAS IN DATABASE SHARED_DB"))
          .extracting(row -> row.get("name"))
          .containsExactly("INFORMATION_SCHEMA", "PUBLIC", "RAW");
      assertThat(query(connection, "SHOW SCHEMAS IN ACCOUNT"))
          .extracting(row -> row.get("database_name"))
          .doesNotContain("LOCKED_DB");
    }
    try (Connection ops = TestDriver.connect(ACCOUNT, "OPS", KEY.getPrivate())) {
      assertThat(query(ops, "SHOW DATABASES")).extracting(row -> row.get("name")).contains("LOCKED_DB");
    }
  }

  private static void assertSameError(Connection connection, String refused, String missing) {
    SQLException notAuthorized = sqlError(() -> execute(connection, refused));
    SQLException doesNotExist = sqlError(() -> execute(connection, missing));
    assertThat(notAuthorized.getErrorCode()).as(refused).isEqualTo(doesNotExist.getErrorCode()).isEqualTo(2043);
    assertThat(notAuthorized.getSQLState()).as(refused).isEqualTo(doesNotExist.getSQLState());
    assertThat(notAuthorized.getMessage()).as(refused).isEqualTo(doesNotExist.getMessage());
  }
}
