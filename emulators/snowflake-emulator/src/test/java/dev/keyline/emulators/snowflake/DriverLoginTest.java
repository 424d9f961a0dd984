package dev.keyline.emulators.snowflake;

import static dev.keyline.emulators.snowflake.TestDriver.connect;
import static dev.keyline.emulators.snowflake.TestDriver.key;
import static dev.keyline.emulators.snowflake.TestDriver.query;
import static dev.keyline.emulators.snowflake.TestDriver.sqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.keys.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Key-pair login with the real Snowflake JDBC driver. */
class DriverLoginTest {

  private static final String ACCOUNT = "LOGIN_ACME";
  private static SnowflakeEmulator snowflake;
  private static final KeyPair SLOT1 = key("login-slot1");
  private static final KeyPair SLOT2 = key("login-slot2");
  private static final KeyPair STRANGER = key("login-stranger");

  @BeforeAll
  static void seed() {
    snowflake = TestDriver.emulator();
    SnowflakeAccount account = snowflake.account(ACCOUNT);
    account.user("SVC_LOGIN")
        .role("LOADER")
        .grantRoles("REPORTER")
        .rsaPublicKey(SLOT1.getPublic())
        .rsaPublicKey2(SLOT2.getPublic());
    account.user("NO_DEFAULT").defaultRole("NEVER_GRANTED").rsaPublicKey(SLOT1.getPublic());
  }

  @AfterEach
  void clearFaults() {
    snowflake.clearFaults();
  }

  @Test
  void slotOneKeyLogsInAndTheSessionReportsUserRoleAndAccount() throws SQLException {
    try (Connection connection = connect(ACCOUNT, "SVC_LOGIN", SLOT1.getPrivate())) {
      List<Map<String, String>> rows =
          query(connection, "SELECT CURRENT_USER(), CURRENT_ROLE(), CURRENT_ACCOUNT()");
      assertThat(rows)
          .containsExactly(
              Map.of(
                  "CURRENT_USER()", "SVC_LOGIN",
                  "CURRENT_ROLE()", "LOADER",
                  "CURRENT_ACCOUNT()", ACCOUNT));
    }
    LoginAttempt login = last(snowflake.logins());
    assertThat(login.succeeded()).isTrue();
    assertThat(login.slot()).isEqualTo(1);
    assertThat(login.fingerprint()).isEqualTo(Fingerprints.spkiSha256(SLOT1.getPublic()));
  }

  @Test
  void slotTwoKeyLogsInToo() throws SQLException {
    try (Connection connection = connect(ACCOUNT, "SVC_LOGIN", SLOT2.getPrivate())) {
      assertThat(query(connection, "SELECT CURRENT_USER() AS who"))
          .containsExactly(Map.of("WHO", "SVC_LOGIN"));
    }
    assertThat(last(snowflake.logins()).slot()).isEqualTo(2);
  }

  @Test
  void accountAndUserAreCaseInsensitiveAndTheRegionSuffixIsIgnored() throws SQLException {
    try (Connection connection =
        connect("login_acme.us-east-1", "svc_login", SLOT1.getPrivate())) {
      assertThat(query(connection, "select current_account() \"acc\", current_user()"))
          .containsExactly(Map.of("acc", ACCOUNT, "CURRENT_USER()", "SVC_LOGIN"));
    }
  }

  @Test
  void aKeyInNeitherSlotIsRejectedAsAnInvalidJwt() {
    SQLException error = sqlError(() -> connect(ACCOUNT, "SVC_LOGIN", STRANGER.getPrivate()));

    assertThat(error.getErrorCode()).isEqualTo(390144);
    assertThat(error.getSQLState()).isEqualTo("08001");
    assertThat(error.getMessage()).contains("JWT token is invalid.");
    assertThat(last(snowflake.logins()).reason()).contains("matches neither");
  }

  @Test
  void aWrongAccountOrUnknownUserIsRejectedTheSameWay() {
    assertThat(sqlError(() -> connect("OTHER_ACME", "SVC_LOGIN", SLOT1.getPrivate())).getErrorCode())
        .isEqualTo(390144);
    assertThat(last(snowflake.logins()).reason()).contains("account OTHER_ACME does not exist");
    assertThat(sqlError(() -> connect(ACCOUNT, "NOBODY", SLOT1.getPrivate())).getErrorCode())
        .isEqualTo(390144);
    assertThat(last(snowflake.logins()).reason()).contains("no user with login name NOBODY");
  }

  @Test
  void aGrantedRoleCanBeRequestedAtLogin() throws SQLException {
    try (Connection connection = connect(ACCOUNT, "SVC_LOGIN", SLOT1.getPrivate(), "reporter")) {
      assertThat(query(connection, "SELECT CURRENT_ROLE()"))
          .containsExactly(Map.of("CURRENT_ROLE()", "REPORTER"));
    }
  }

  @Test
  void aRoleThatIsNotGrantedIsRefusedAtLogin() {
    SQLException error =
        sqlError(() -> connect(ACCOUNT, "SVC_LOGIN", SLOT1.getPrivate(), "ACCOUNTADMIN"));

    assertThat(error.getErrorCode()).isEqualTo(390189);
    assertThat(error.getMessage())
        .contains("Role 'ACCOUNTADMIN' specified in the connect string is not granted to this user");
  }

  @Test
  void aDefaultRoleThatIsNotGrantedFallsBackToPublic() throws SQLException {
    try (Connection connection = connect(ACCOUNT, "NO_DEFAULT", SLOT1.getPrivate())) {
      assertThat(query(connection, "SELECT CURRENT_ROLE()"))
          .containsExactly(Map.of("CURRENT_ROLE()", "PUBLIC"));
    }
  }

  @Test
  void theWholePemAsBase64WorksAsPrivateKeyBase64() throws SQLException {
    Properties props = TestDriver.props(ACCOUNT, "SVC_LOGIN", SLOT2.getPrivate(), null);
    props.remove("privateKey");
    props.put(
        "private_key_base64",
        Base64.getEncoder()
            .encodeToString(
                TestDriver.pkcs8Pem(SLOT2.getPrivate()).getBytes(StandardCharsets.US_ASCII)));

    try (Connection connection = DriverManager.getConnection(snowflake.jdbcUrl(), props)) {
      assertThat(query(connection, "SELECT 1")).containsExactly(Map.of("1", "1"));
    }
    assertThat(last(snowflake.logins()).slot()).isEqualTo(2);
  }

  @Test
  void anInjectedLoginFailureFailsOnlyTheNextLogin() throws SQLException {
    snowflake.failNextLogin();

    assertThat(sqlError(() -> connect(ACCOUNT, "SVC_LOGIN", SLOT1.getPrivate())).getErrorCode())
        .isEqualTo(390144);
    try (Connection connection = connect(ACCOUNT, "SVC_LOGIN", SLOT1.getPrivate())) {
      assertThat(connection.isValid(5)).isTrue();
    }
  }

  @Test
  void theDriverRetriesThroughInjected503sAndLatencyIsApplied() throws SQLException {
    int loginsBefore = snowflake.loginCount();
    snowflake.failNextRequests(1);

    try (Connection connection = connect(ACCOUNT, "SVC_LOGIN", SLOT1.getPrivate())) {
      snowflake.setLatency(Duration.ofMillis(300));
      long start = System.nanoTime();
      query(connection, "SELECT 1");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
    assertThat(snowflake.loginCount()).isEqualTo(loginsBefore + 1);
  }

  private static <T> T last(List<T> list) {
    assertThat(list).isNotEmpty();
    return list.get(list.size() - 1);
  }
}
