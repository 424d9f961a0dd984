package dev.keyline.emulators.snowflake;

import static dev.keyline.emulators.snowflake.TestDriver.connect;
import static dev.keyline.emulators.snowflake.TestDriver.describeUser;
import static dev.keyline.emulators.snowflake.TestDriver.execute;
import static dev.keyline.emulators.snowflake.TestDriver.key;
import static dev.keyline.emulators.snowflake.TestDriver.sqlError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults aimed at one statement or one user's login, and holds that keep one request in flight:
 * what the rotation crash tests use to fail or stop a client at a precise step. Driven through the
 * real JDBC driver.
 */
class TargetedFaultTest {

  private static final String ACCOUNT = "TARGETED";
  private static final AtomicInteger USERS = new AtomicInteger();
  private static final KeyPair ADMIN_KEY = key("targeted-admin");
  private static final KeyPair OLD = key("keys-old");
  private static final KeyPair NEW = key("keys-new");
  // Not the common pool: on two cores it runs one task at a time, and held requests block theirs.
  private static final ExecutorService CLIENTS = Executors.newVirtualThreadPerTaskExecutor();
  private static SnowflakeEmulator snowflake;
  private static Connection admin;

  @BeforeAll
  static void seed() throws SQLException {
    snowflake = TestDriver.emulator();
    admin = TestDriver.keyAdmin(ACCOUNT, "TARGETED_ADMIN", ADMIN_KEY);
  }

  @AfterAll
  static void closeAdmin() throws SQLException {
    admin.close();
  }

  @AfterEach
  void clearFaults() {
    snowflake.clearFaults();
  }

  private static String newUser() {
    return TestDriver.serviceUser(ACCOUNT, "TGT_", USERS, OLD);
  }

  @Test
  void statementFailureHitsOnlyTheFirstMatchingStatement() throws SQLException {
    String a = newUser();
    String b = newUser();
    snowflake.failNextStatement("000603", "desc user", a);

    assertThat(describeUser(admin, b)).containsKey("RSA_PUBLIC_KEY_FP"); // other user: unaffected
    execute(admin, "ALTER USER " + a + " SET RSA_PUBLIC_KEY_2='" + TestDriver.publicPem(NEW.getPublic())
        .replaceAll("-----[A-Z ]+-----|\\s", "") + "'"); // other statement: unaffected
    SQLException failed = sqlError(() -> describeUser(admin, a));
    assertThat(failed.getErrorCode()).isEqualTo(603);
    assertThat(failed.getSQLState()).isEqualTo("XX000");
    assertThat(describeUser(admin, a)).as("consumed by one statement").containsKey("RSA_PUBLIC_KEY_2_FP");
  }

  @Test
  void injectedStatementFailureChangesNothing() throws SQLException {
    String a = newUser();
    snowflake.failNextStatement("003001", "UNSET", a);
    SQLException denied = sqlError(() -> execute(admin, "ALTER USER " + a + " UNSET RSA_PUBLIC_KEY"));
    assertThat(denied.getErrorCode()).isEqualTo(3001);
    assertThat(denied.getMessage()).contains("'" + a + "'");
    assertThat(snowflake.keySlots(ACCOUNT, a).rsaPublicKeyFp()).isNotNull();
    assertThat(snowflake.statements("UNSET")).filteredOn(s -> s.sql().contains(a))
        .singleElement().satisfies(s -> assertThat(s.succeeded()).isFalse());
  }

  @Test
  void loginFailureOfOneUserLeavesOtherLoginsAlone() throws SQLException {
    String a = newUser();
    String b = newUser();
    snowflake.failNextLoginOf(a.toLowerCase(), "390144");

    connect(ACCOUNT, b, OLD.getPrivate()).close();
    SQLException refused = sqlError(() -> connect(ACCOUNT, a, OLD.getPrivate()).close());
    assertThat(refused.getErrorCode()).isEqualTo(390144);
    connect(ACCOUNT, a, OLD.getPrivate()).close(); // consumed
  }

  @Test
  void heldStatementWaitsForReleaseWhileOtherRequestsProceed() throws Exception {
    String a = newUser();
    snowflake.setKeySlot(ACCOUNT, a, 2, NEW.getPublic());
    try (RequestHold hold = snowflake.holdNext("UNSET RSA_PUBLIC_KEY_2", a)) {
      CompletableFuture<Void> unset = CompletableFuture.runAsync(() -> {
        try (Connection c = connect(ACCOUNT, "TARGETED_ADMIN", ADMIN_KEY.getPrivate())) {
          execute(c, "ALTER USER " + a + " UNSET RSA_PUBLIC_KEY_2");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }, CLIENTS);
      assertThat(hold.awaitHeld(Duration.ofSeconds(30))).isTrue();
      assertThat(hold.heldRequest()).contains("UNSET RSA_PUBLIC_KEY_2");
      assertThat(hold.isHolding()).isTrue();
      // Held before anything changed, and the emulator keeps answering everyone else.
      assertThat(describeUser(admin, a)).containsEntry("RSA_PUBLIC_KEY_2_FP",
          snowflake.keySlots(ACCOUNT, a).rsaPublicKey2Fp());
      assertThat(snowflake.keySlots(ACCOUNT, a).rsaPublicKey2Fp()).isNotNull();
      assertThat(unset).isNotDone();

      hold.release();
      unset.get(30, TimeUnit.SECONDS);
      assertThat(snowflake.keySlots(ACCOUNT, a).rsaPublicKey2Fp()).isNull();
      assertThat(hold.isHolding()).isFalse();
    }
  }

  @Test
  void holdsQueueUpAndCatchOneRequestEach() throws Exception {
    String a = newUser();
    RequestHold first = snowflake.holdNext("DESC USER", a);
    RequestHold second = snowflake.holdNext("DESC USER", a);
    CompletableFuture<String> one = describeAsync(a);
    assertThat(first.awaitHeld(Duration.ofSeconds(30))).isTrue();
    assertThat(second.awaitHeld(Duration.ofMillis(300))).isFalse();
    CompletableFuture<String> two = describeAsync(a);
    assertThat(second.awaitHeld(Duration.ofSeconds(30))).isTrue();
    first.release();
    assertThat(one.get(30, TimeUnit.SECONDS)).isNotNull();
    assertThat(two).isNotDone();
    second.release();
    assertThat(two.get(30, TimeUnit.SECONDS)).isNotNull();
    assertThat(describeUser(admin, a)).as("no hold left").isNotEmpty();
  }

  @Test
  void loginCanBeHeldAndClearFaultsReleasesEverything() throws Exception {
    String a = newUser();
    RequestHold login = snowflake.holdNext("LOGIN", ACCOUNT, a);
    RequestHold unused = snowflake.holdNext("ALTER USER", a);
    CompletableFuture<Void> connecting = CompletableFuture.runAsync(() -> {
      try {
        connect(ACCOUNT, a, OLD.getPrivate()).close();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }, CLIENTS);
    assertThat(login.awaitHeld(Duration.ofSeconds(30))).isTrue();
    assertThat(login.heldRequest()).isEqualTo("LOGIN " + ACCOUNT + " " + a);
    snowflake.clearFaults();
    connecting.get(30, TimeUnit.SECONDS);
    execute(admin, "ALTER USER " + a + " UNSET RSA_PUBLIC_KEY_2"); // the unused hold is gone
    assertThat(unused.isHolding()).isFalse();
  }

  @Test
  void patternsNeedFragmentsAndCodesHaveSixDigits() {
    assertThatThrownBy(() -> snowflake.holdNext()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> snowflake.holdNext("DESC", " ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> snowflake.failNextStatement("603", "DESC")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> snowflake.failNextLoginOf("", "390144")).isInstanceOf(IllegalArgumentException.class);
  }

  private static CompletableFuture<String> describeAsync(String user) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = connect(ACCOUNT, "TARGETED_ADMIN", ADMIN_KEY.getPrivate())) {
        return describeUser(c, user).get("RSA_PUBLIC_KEY_FP");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }, CLIENTS);
  }
}
