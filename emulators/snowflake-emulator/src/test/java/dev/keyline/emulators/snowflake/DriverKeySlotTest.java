package dev.keyline.emulators.snowflake;

import static dev.keyline.emulators.snowflake.TestDriver.connect;
import static dev.keyline.emulators.snowflake.TestDriver.describeUser;
import static dev.keyline.emulators.snowflake.TestDriver.execute;
import static dev.keyline.emulators.snowflake.TestDriver.key;
import static dev.keyline.emulators.snowflake.TestDriver.query;
import static dev.keyline.emulators.snowflake.TestDriver.sqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.PublicKeys;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Key-slot management (ALTER USER / DESC USER) and its privilege model through the real driver. */
class DriverKeySlotTest {

  private static final String ACCOUNT = "KEYS_ACME";
  private static final AtomicInteger USERS = new AtomicInteger();
  private static SnowflakeEmulator snowflake;
  private static final KeyPair ADMIN_KEY = key("keys-admin");
  private static final KeyPair OLD = key("keys-old");
  private static final KeyPair NEW = key("keys-new");
  private static final KeyPair THIRD = key("keys-third");
  private static Connection admin;

  @BeforeAll
  static void seed() throws SQLException {
    snowflake = TestDriver.emulator();
    admin = TestDriver.keyAdmin(ACCOUNT, "KEY_ADMIN_USER", ADMIN_KEY);
  }

  @AfterAll
  static void closeAdmin() throws SQLException {
    admin.close();
  }

  @AfterEach
  void clearFaults() {
    snowflake.clearFaults();
  }

  /** A fresh service user holding OLD in slot 1, with the plain role LOADER. */
  private static String newServiceUser() {
    return TestDriver.serviceUser(ACCOUNT, "SVC_", USERS, OLD);
  }

  @Test
  void descUserShowsBothSlotsWithKeyMaterialFingerprints() throws SQLException {
    String user = newServiceUser();
    snowflake.setKeySlot(ACCOUNT, user, 2, NEW.getPublic());

    try (Statement statement = admin.createStatement();
        ResultSet rs = statement.executeQuery("DESC USER " + user)) {
      ResultSetMetaData meta = rs.getMetaData();
      assertThat(List.of(
              meta.getColumnLabel(1), meta.getColumnLabel(2), meta.getColumnLabel(3), meta.getColumnLabel(4)))
          .containsExactly("property", "value", "default", "description");
    }
    Map<String, String> desc = describeUser(admin, user);
    assertThat(desc)
        .containsEntry("NAME", user)
        .containsEntry("LOGIN_NAME", user)
        .containsEntry("DEFAULT_ROLE", "LOADER")
        .containsEntry("RSA_PUBLIC_KEY", PublicKeys.toBase64Der(OLD.getPublic()))
        .containsEntry("RSA_PUBLIC_KEY_FP", Fingerprints.spkiSha256(OLD.getPublic()))
        .containsEntry("RSA_PUBLIC_KEY_2", PublicKeys.toBase64Der(NEW.getPublic()))
        .containsEntry("RSA_PUBLIC_KEY_2_FP", Fingerprints.spkiSha256(NEW.getPublic()));
    assertThat(desc.get("RSA_PUBLIC_KEY_LAST_SET_TIME")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
    assertThat(desc.get("RSA_PUBLIC_KEY_2_LAST_SET_TIME")).isNotEqualTo("null");

    snowflake.unsetKeySlot(ACCOUNT, user, 2);
    assertThat(describeUser(admin, user))
        .containsEntry("RSA_PUBLIC_KEY_2", "null")
        .containsEntry("RSA_PUBLIC_KEY_2_FP", "null")
        .containsEntry("RSA_PUBLIC_KEY_2_LAST_SET_TIME", "null");
  }

  @Test
  void aKeyAdminSetsSlotTwoAndTheUserThenLogsInWithTheNewKey() throws SQLException {
    String user = newServiceUser();
    assertThat(sqlError(() -> connect(ACCOUNT, user, NEW.getPrivate())).getErrorCode()).isEqualTo(390144);

    try (Statement statement = admin.createStatement()) {
      // full PEM with line breaks, as Snowflake's own CLI sends it
      int count =
          statement.executeUpdate(
              "ALTER USER " + user + " SET RSA_PUBLIC_KEY_2='" + TestDriver.publicPem(NEW.getPublic()) + "'");
      assertThat(count).isZero();
    }

    assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKey2Fp())
        .isEqualTo(Fingerprints.spkiSha256(NEW.getPublic()));
    try (Connection connection = connect(ACCOUNT, user, NEW.getPrivate())) {
      assertThat(query(connection, "SELECT CURRENT_USER()")).containsExactly(Map.of("CURRENT_USER()", user));
    }
    ExecutedStatement alter = snowflake.statements("SET RSA_PUBLIC_KEY_2").getLast();
    assertThat(alter.user()).isEqualTo("KEY_ADMIN_USER");
    assertThat(alter.role()).isEqualTo("KEY_ADMIN");
    assertThat(alter.succeeded()).isTrue();
  }

  @Test
  void afterUnsettingSlotOneTheOldKeyNoLongerLogsIn() throws SQLException {
    String user = newServiceUser();
    execute(admin, "alter user " + user + " set rsa_public_key_2 = '" + PublicKeys.toBase64Der(NEW.getPublic()) + "'");
    connect(ACCOUNT, user, OLD.getPrivate()).close();

    execute(admin, "ALTER USER " + user + " UNSET RSA_PUBLIC_KEY");

    SQLException error = sqlError(() -> connect(ACCOUNT, user, OLD.getPrivate()));
    assertThat(error.getErrorCode()).isEqualTo(390144);
    connect(ACCOUNT, user, NEW.getPrivate()).close();
    assertThat(describeUser(admin, user)).containsEntry("RSA_PUBLIC_KEY_FP", "null");
  }

  @Test
  void bothSlotsCanBeSetAndUnsetInOneStatement() throws SQLException {
    String user = newServiceUser();

    execute(
        admin,
        "ALTER USER IF EXISTS "
            + user
            + " SET RSA_PUBLIC_KEY='"
            + PublicKeys.toBase64Der(NEW.getPublic())
            + "' RSA_PUBLIC_KEY_2='"
            + PublicKeys.toBase64Der(THIRD.getPublic())
            + "';");

    KeySlots slots = snowflake.keySlots(ACCOUNT, user);
    assertThat(slots.rsaPublicKeyFp()).isEqualTo(Fingerprints.spkiSha256(NEW.getPublic()));
    assertThat(slots.rsaPublicKey2Fp()).isEqualTo(Fingerprints.spkiSha256(THIRD.getPublic()));

    execute(admin, "ALTER USER " + user + " UNSET RSA_PUBLIC_KEY, RSA_PUBLIC_KEY_2");
    assertThat(snowflake.keySlots(ACCOUNT, user))
        .isEqualTo(new KeySlots(null, null, null, null, null, null));
  }

  @Test
  void aPlainUserCannotChangeItsOwnKeys() throws SQLException {
    String user = newServiceUser();
    try (Connection self = connect(ACCOUNT, user, OLD.getPrivate())) {
      SQLException error =
          sqlError(
              () ->
                  execute(
                      self,
                      "ALTER USER " + user + " SET RSA_PUBLIC_KEY_2='" + PublicKeys.toBase64Der(NEW.getPublic()) + "'"));

      assertThat(error.getErrorCode()).isEqualTo(3001);
      assertThat(error.getSQLState()).isEqualTo("42501");
      assertThat(error.getMessage())
          .isEqualTo("SQL access control error:\nInsufficient privileges to operate on user '" + user + "'");
      // it may still describe itself
      assertThat(describeUser(self, user)).containsEntry("RSA_PUBLIC_KEY_2", "null");
      // but not another user
      assertThat(sqlError(() -> describeUser(self, "KEY_ADMIN_USER")).getErrorCode()).isEqualTo(3001);
    }
    assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKey2Fp()).isNull();
    assertThat(snowflake.statements("ALTER USER " + user).getLast().errorCode()).isEqualTo("003001");
  }

  @Test
  void ownershipOrAPrivilegeOnThatUserIsWhatCounts() throws SQLException {
    String owned = newServiceUser();
    String covered = newServiceUser();
    String other = newServiceUser();
    SnowflakeAccount account = snowflake.account(ACCOUNT);
    account.role("TEAM_OWNER").owns(owned);
    account.role("ROTATOR").modifyProgrammaticAuthenticationMethodsOn(covered);
    account.user("TEAM_LEAD").grantRoles("TEAM_OWNER", "ROTATOR").defaultRole("TEAM_OWNER")
        .rsaPublicKey(THIRD.getPublic());
    String setNew = " SET RSA_PUBLIC_KEY_2='" + PublicKeys.toBase64Der(NEW.getPublic()) + "'";

    try (Connection lead = connect(ACCOUNT, "TEAM_LEAD", THIRD.getPrivate())) {
      execute(lead, "ALTER USER " + owned + setNew);
      assertThat(sqlError(() -> execute(lead, "ALTER USER " + covered + setNew)).getErrorCode()).isEqualTo(3001);

      execute(lead, "USE ROLE ROTATOR");
      assertThat(query(lead, "SELECT CURRENT_ROLE()")).containsExactly(Map.of("CURRENT_ROLE()", "ROTATOR"));
      execute(lead, "ALTER USER " + covered + setNew);
      assertThat(sqlError(() -> execute(lead, "ALTER USER " + other + setNew)).getErrorCode()).isEqualTo(3001);

      SQLException notGranted = sqlError(() -> execute(lead, "USE ROLE KEY_ADMIN"));
      assertThat(notGranted.getErrorCode()).isEqualTo(2003);
      assertThat(notGranted.getMessage()).contains("Role 'KEY_ADMIN' does not exist or not authorized.");
    }
    assertThat(snowflake.keySlots(ACCOUNT, owned).rsaPublicKey2Fp()).isNotNull();
    assertThat(snowflake.keySlots(ACCOUNT, covered).rsaPublicKey2Fp()).isNotNull();
    assertThat(snowflake.keySlots(ACCOUNT, other).rsaPublicKey2Fp()).isNull();
  }

  @Test
  void unknownUsersAreReportedAsNotExistingOrNotAuthorized() throws SQLException {
    SQLException alter = sqlError(() -> execute(admin, "ALTER USER ghost UNSET RSA_PUBLIC_KEY"));
    assertThat(alter.getErrorCode()).isEqualTo(2003);
    assertThat(alter.getSQLState()).isEqualTo("02000");
    assertThat(alter.getMessage())
        .isEqualTo("SQL compilation error:\nUser 'GHOST' does not exist or not authorized.");

    assertThat(sqlError(() -> describeUser(admin, "ghost")).getErrorCode()).isEqualTo(2003);
    execute(admin, "ALTER USER IF EXISTS ghost UNSET RSA_PUBLIC_KEY");
  }

  @Test
  void unsupportedSqlIsASyntaxErrorNamingTheToken() {
    SQLException garbage = sqlError(() -> execute(admin, "FROBNICATE everything"));
    assertThat(garbage.getErrorCode()).isEqualTo(1003);
    assertThat(garbage.getSQLState()).isEqualTo("42000");
    assertThat(garbage.getMessage())
        .isEqualTo("SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'FROBNICATE'.");

    SQLException property = sqlError(() -> execute(admin, "ALTER USER x SET PASSWORD='p'"));
    assertThat(property.getMessage()).contains("line 1 at position 17 unexpected 'PASSWORD'");
  }

  @Test
  void keysSnowflakeWouldNotStoreAreRefusedAndNothingChanges() throws Exception {
    String user = newServiceUser();
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);

    for (String bad :
        List.of(
            "not a key",
            PublicKeys.toBase64Der(ec.generateKeyPair().getPublic()),
            PublicKeys.toBase64Der(rsa.generateKeyPair().getPublic()))) {
      SQLException error =
          sqlError(
              () ->
                  execute(
                      admin,
                      "ALTER USER " + user + " SET RSA_PUBLIC_KEY_2='" + PublicKeys.toBase64Der(NEW.getPublic())
                          + "' RSA_PUBLIC_KEY='" + bad + "'"));
      assertThat(error.getErrorCode()).isEqualTo(1003);
      assertThat(error.getMessage()).contains("Invalid public key");
    }
    KeySlots slots = snowflake.keySlots(ACCOUNT, user);
    assertThat(slots.rsaPublicKeyFp()).isEqualTo(Fingerprints.spkiSha256(OLD.getPublic()));
    assertThat(slots.rsaPublicKey2Fp()).isNull();
  }

  @Test
  void quotedIdentifiersKeepTheirCaseAndNameAnotherUser() throws SQLException {
    SnowflakeAccount account = snowflake.account(ACCOUNT);
    account.user("QUOTED_Q").rsaPublicKey(OLD.getPublic());
    account.user("\"quoted_q\"", "quoted_q_lower").rsaPublicKey(OLD.getPublic());

    execute(admin, "ALTER USER \"quoted_q\" SET RSA_PUBLIC_KEY='" + PublicKeys.toBase64Der(NEW.getPublic()) + "'");

    assertThat(snowflake.keySlots(ACCOUNT, "\"quoted_q\"").rsaPublicKeyFp())
        .isEqualTo(Fingerprints.spkiSha256(NEW.getPublic()));
    assertThat(snowflake.keySlots(ACCOUNT, "quoted_q").rsaPublicKeyFp())
        .isEqualTo(Fingerprints.spkiSha256(OLD.getPublic()));
    assertThat(describeUser(admin, "quoted_q")).containsEntry("NAME", "QUOTED_Q");
    assertThat(describeUser(admin, "\"quoted_q\""))
        .containsEntry("NAME", "quoted_q")
        .containsEntry("LOGIN_NAME", "QUOTED_Q_LOWER");
    assertThat(sqlError(() -> describeUser(admin, "\"Quoted_Q\"")).getErrorCode()).isEqualTo(2003);

    try (Connection lower = connect(ACCOUNT, "quoted_q_lower", NEW.getPrivate())) {
      assertThat(query(lower, "SELECT CURRENT_USER()")).containsExactly(Map.of("CURRENT_USER()", "quoted_q"));
    }
  }

  @Test
  void injectedAlterFailuresFailOnlyTheNextAlter() throws SQLException {
    String user = newServiceUser();
    String set = "ALTER USER " + user + " SET RSA_PUBLIC_KEY_2='" + PublicKeys.toBase64Der(NEW.getPublic()) + "'";

    snowflake.failNextAlter("003001");
    SQLException denied = sqlError(() -> execute(admin, set));
    assertThat(denied.getErrorCode()).isEqualTo(3001);
    assertThat(denied.getMessage()).contains("Insufficient privileges to operate on user '" + user + "'");

    snowflake.failNextAlter("000603");
    SQLException internal = sqlError(() -> execute(admin, set));
    assertThat(internal.getErrorCode()).isEqualTo(603);
    assertThat(internal.getSQLState()).isEqualTo("XX000");
    assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKey2Fp()).isNull();

    query(admin, "SELECT 1"); // not an ALTER: unaffected
    execute(admin, set);
    assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKey2Fp()).isNotNull();
  }
}
