package dev.keyline.emulators.snowflake;

import static dev.keyline.emulators.snowflake.TestDriver.connect;
import static dev.keyline.emulators.snowflake.TestDriver.execute;
import static dev.keyline.emulators.snowflake.TestDriver.key;
import static dev.keyline.emulators.snowflake.TestDriver.query;
import static dev.keyline.emulators.snowflake.TestDriver.sqlError;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sessions, token renewal and the read-only statements through the real driver. */
class DriverSessionTest {

  private static final String ACCOUNT = "SESSION_ACME";
  private static SnowflakeEmulator snowflake;
  private static final KeyPair KEY = key("session");

  @BeforeAll
  static void seed() {
    snowflake = TestDriver.emulator();
    SnowflakeAccount account = snowflake.account(ACCOUNT);
    account.warehouse("ETL_WH").database("ANALYTICS", "RAW", "MART");
    account.user("ANALYST").role("READER").defaultWarehouse("ETL_WH").rsaPublicKey(KEY.getPublic());
    account.user("RENEWER").role("READER").rsaPublicKey(KEY.getPublic());
    account.user("ENDED").role("READER").rsaPublicKey(KEY.getPublic());
  }

  @AfterEach
  void clearFaults() {
    snowflake.clearFaults();
  }

  @Test
  void anExpiredSessionTokenIsRenewedOnceAndTheStatementSucceeds() throws SQLException {
    try (Connection connection = connect(ACCOUNT, "RENEWER", KEY.getPrivate())) {
      query(connection, "SELECT 1");
      int renewalsBefore = snowflake.tokenRenewalCount();
      int statementsBefore = snowflake.statements().size();

      assertThat(snowflake.expireSessionTokens(ACCOUNT, "RENEWER")).isEqualTo(1);

      assertThat(query(connection, "SELECT CURRENT_USER()"))
          .containsExactly(Map.of("CURRENT_USER()", "RENEWER"));
      assertThat(snowflake.tokenRenewalCount()).isEqualTo(renewalsBefore + 1);
      query(connection, "SELECT 1");
      assertThat(snowflake.tokenRenewalCount()).isEqualTo(renewalsBefore + 1);
      assertThat(snowflake.statements().size()).isEqualTo(statementsBefore + 2);
    }
  }

  @Test
  void anEndedSessionAnswers390111UntilTheClientLogsInAgain() throws SQLException {
    try (Connection ended = connect(ACCOUNT, "ENDED", KEY.getPrivate());
        Connection other = connect(ACCOUNT, "ANALYST", KEY.getPrivate())) {
      query(ended, "SELECT 1");
      int openBefore = snowflake.openSessionCount();

      assertThat(snowflake.endSessions(ACCOUNT, "ENDED")).isEqualTo(1);

      assertThat(snowflake.openSessionCount()).isEqualTo(openBefore - 1);
      int renewalsBefore = snowflake.tokenRenewalCount();
      SQLException gone = sqlError(() -> query(ended, "SELECT 1"));
      assertThat(gone.getErrorCode()).isEqualTo(390111);
      // No token renewal can bring an ended session back.
      assertThat(snowflake.tokenRenewalCount()).isEqualTo(renewalsBefore);
      // Other users' sessions go on; a new login of the same user works.
      assertThat(query(other, "SELECT CURRENT_USER()")).containsExactly(Map.of("CURRENT_USER()", "ANALYST"));
      try (Connection again = connect(ACCOUNT, "ENDED", KEY.getPrivate())) {
        assertThat(query(again, "SELECT CURRENT_USER()")).containsExactly(Map.of("CURRENT_USER()", "ENDED"));
      }
    }
  }

  @Test
  void connectionPropertiesChooseWarehouseDatabaseAndSchema() throws SQLException {
    Properties props = TestDriver.props(ACCOUNT, "ANALYST", KEY.getPrivate(), null);
    props.put("db", "analytics");
    props.put("schema", "raw");
    try (Connection connection = DriverManager.getConnection(snowflake.jdbcUrl(), props)) {
      assertThat(
              query(
                  connection,
                  "SELECT CURRENT_WAREHOUSE(), CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_ROLE()"))
          .containsExactly(
              Map.of(
                  "CURRENT_WAREHOUSE()", "ETL_WH",
                  "CURRENT_DATABASE()", "ANALYTICS",
                  "CURRENT_SCHEMA()", "RAW",
                  "CURRENT_ROLE()", "READER"));
      assertThat(connection.getCatalog()).isEqualTo("ANALYTICS");
      assertThat(connection.getSchema()).isEqualTo("RAW");
    }
  }

  @Test
  void showDatabasesAndSchemasListTheCatalogue() throws SQLException {
    try (Connection connection = connect(ACCOUNT, "ANALYST", KEY.getPrivate())) {
      List<Map<String, String>> databases = query(connection, "SHOW DATABASES");
      assertThat(databases)
          .extracting(row -> row.get("name"))
          .containsExactly("ANALYTICS", "SNOWFLAKE", "SNOWFLAKE_SAMPLE_DATA");
      assertThat(databases.get(0))
          .containsKeys("created_on", "is_default", "is_current", "origin", "owner", "comment", "options",
              "retention_time", "kind")
          .containsEntry("kind", "STANDARD");
      assertThat(query(connection, "show databases like 'ana%'")).hasSize(1);

      SQLException noDatabase = sqlError(() -> query(connection, "SHOW SCHEMAS"));
      assertThat(noDatabase.getErrorCode()).isEqualTo(90105);

      List<Map<String, String>> schemas = query(connection, "SHOW SCHEMAS IN DATABASE analytics");
      assertThat(schemas)
          .extracting(row -> row.get("name"))
          .containsExactly("INFORMATION_SCHEMA", "MART", "PUBLIC", "RAW");
      assertThat(schemas).allSatisfy(row -> assertThat(row).containsEntry("database_name", "ANALYTICS"));

      execute(connection, "USE DATABASE ANALYTICS");
      assertThat(query(connection, "SHOW SCHEMAS LIKE 'R%'"))
          .extracting(row -> row.get("name"))
          .containsExactly("RAW");
      assertThat(query(connection, "SHOW SCHEMAS IN ACCOUNT").size()).isGreaterThan(4);
      assertThat(sqlError(() -> query(connection, "SHOW SCHEMAS IN DATABASE nope")).getErrorCode())
          .isEqualTo(2003);

      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SHOW DATABASES")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getTimestamp("created_on")).isNotNull();
      }
    }
  }

  @Test
  void useStatementsChangeTheSession() throws SQLException {
    try (Connection connection = connect(ACCOUNT, "ANALYST", KEY.getPrivate())) {
      execute(connection, "USE WAREHOUSE COMPUTE_WH");
      execute(connection, "USE SCHEMA ANALYTICS.MART");
      execute(connection, "USE ROLE PUBLIC");
      assertThat(query(connection, "SELECT CURRENT_WAREHOUSE() w, CURRENT_SCHEMA() s, CURRENT_ROLE() r"))
          .containsExactly(Map.of("W", "COMPUTE_WH", "S", "MART", "R", "PUBLIC"));
      assertThat(sqlError(() -> execute(connection, "USE WAREHOUSE NOPE_WH")).getErrorCode())
          .isEqualTo(2043);
    }
  }

  @Test
  void preparedStatementsWork() throws SQLException {
    try (Connection connection = connect(ACCOUNT, "ANALYST", KEY.getPrivate());
        PreparedStatement statement = connection.prepareStatement("SELECT CURRENT_USER(), 42 AS answer")) {
      assertThat(statement.getMetaData().getColumnCount()).isEqualTo(2);
      try (ResultSet rs = statement.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("ANALYST");
        assertThat(rs.getInt("ANSWER")).isEqualTo(42);
        assertThat(rs.next()).isFalse();
      }
    }
    // getMetaData before execution asks for the columns only (describeOnly), then the statement runs
    assertThat(snowflake.statements("42 AS answer"))
        .extracting(ExecutedStatement::describeOnly)
        .containsExactly(true, false);
  }

  @Test
  void closingTheConnectionEndsTheSessionAndIsValidUsesHeartbeats() throws SQLException {
    Connection connection = connect(ACCOUNT, "ANALYST", KEY.getPrivate());
    int open = snowflake.openSessionCount();
    assertThat(connection.isValid(5)).isTrue();

    connection.close();

    assertThat(snowflake.openSessionCount()).isEqualTo(open - 1);
    assertThat(connection.isValid(5)).isFalse();
  }
}
