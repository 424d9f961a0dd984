package dev.keyline.emulators.snowflake;

import static dev.keyline.emulators.snowflake.TestDriver.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.emulators.nodeclient.NodeScript;
import dev.keyline.keys.Fingerprints;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDBC driver's cases, run by a second driver nobody here wrote: the official Snowflake
 * Node.js driver ({@code snowflake-sdk}, pinned in src/test/node, installed by the build). It
 * builds its own login JWT (iat/exp in milliseconds, 120 s apart; JDBC: seconds, 60 s), its own
 * login and query requests, and reads the emulator's JSON results (the Node.js driver reads only
 * JSON results; it has no Arrow reader to ask for).
 */
class NodeDriverTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String ACCOUNT = "NODE_ACME";
  private static final AtomicInteger USERS = new AtomicInteger();
  private static final KeyPair ADMIN = key("node-admin");
  private static final KeyPair OLD = key("node-old");
  private static final KeyPair NEW = key("node-new");
  private static final KeyPair WRONG = key("node-wrong");
  private static SnowflakeEmulator snowflake;

  @BeforeAll
  static void seed() {
    snowflake = TestDriver.emulator();
    SnowflakeAccount account = snowflake.account(ACCOUNT);
    account.role("KEY_ADMIN").modifyProgrammaticAuthenticationMethodsOnAccount();
    account.user("NODE_KEY_ADMIN").role("KEY_ADMIN").rsaPublicKey(ADMIN.getPublic());
  }

  /** A session: log in as {@code user} with {@code key}, then run the statements. */
  private static ObjectNode session(String user, KeyPair key, String... statements) {
    ObjectNode session = MAPPER.createObjectNode();
    // lower case on purpose: the driver upper-cases account and user for the JWT itself
    session.put("account", ACCOUNT.toLowerCase(java.util.Locale.ROOT));
    session.put("username", user.toLowerCase(java.util.Locale.ROOT));
    session.put("privateKey", TestDriver.pkcs8Pem(key.getPrivate()));
    ArrayNode sql = session.putArray("statements");
    for (String statement : statements) {
      sql.add(statement);
    }
    return session;
  }

  /** Runs the sessions in order in one node process; returns each one's {login, results}. */
  private static List<JsonNode> run(ObjectNode... sessions) {
    ObjectNode plan = MAPPER.createObjectNode();
    plan.put("accessUrl", snowflake.url());
    ArrayNode array = plan.putArray("sessions");
    for (ObjectNode session : sessions) {
      array.add(session);
    }
    Map<String, String> environment = new HashMap<>();
    // The driver's own switches: no probing of cloud metadata addresses for telemetry (this
    // machine reaches only loopback), no native helper library unpacked at start.
    environment.put("SNOWFLAKE_DISABLE_PLATFORM_DETECTION", "true");
    environment.put("SNOWFLAKE_DISABLE_MINICORE", "true");
    JsonNode out = NodeScript.run("snowflake-session.js", plan, environment).path("sessions");
    assertThat(out.size()).isEqualTo(sessions.length);
    return MAPPER.convertValue(out, MAPPER.getTypeFactory().constructCollectionType(List.class, JsonNode.class));
  }

  private static String newServiceUser() {
    return TestDriver.serviceUser(ACCOUNT, "NODE_SVC_", USERS, OLD);
  }

  private static void assertLoggedIn(JsonNode session) {
    assertThat(session.path("login").path("ok").asBoolean()).as("%s", session.path("login")).isTrue();
  }

  private static void assertJwtRefused(JsonNode session) {
    JsonNode login = session.path("login");
    assertThat(login.path("ok").asBoolean()).isFalse();
    assertThat(login.path("code").asText()).isEqualTo("390144");
    assertThat(login.path("message").asText()).matches("JWT token is invalid\\. \\[[0-9a-f-]{36}\\]");
  }

  private static LoginAttempt lastLoginOf(String user) {
    return snowflake.logins().stream().filter(l -> user.equalsIgnoreCase(l.user())).toList().getLast();
  }

  @Test
  void logsInWithTheSlotOneKeyAndTheSlotTwoKeyAndIsRefusedWithAnyOther() {
    String user = newServiceUser();
    snowflake.setKeySlot(ACCOUNT, user, 2, NEW.getPublic());

    List<JsonNode> sessions =
        run(
            session(user, OLD, "SELECT CURRENT_USER()"),
            session(user, NEW, "SELECT CURRENT_USER(), CURRENT_ROLE()"),
            session(user, WRONG, "SELECT CURRENT_USER()"));

    assertLoggedIn(sessions.get(0));
    assertThat(sessions.get(0).path("results").get(0).path("rows").toString())
        .isEqualTo("[{\"CURRENT_USER()\":\"" + user + "\"}]");
    assertLoggedIn(sessions.get(1));
    assertThat(sessions.get(1).path("results").get(0).path("rows").toString())
        .isEqualTo("[{\"CURRENT_USER()\":\"" + user + "\",\"CURRENT_ROLE()\":\"LOADER\"}]");
    assertJwtRefused(sessions.get(2));
    assertThat(sessions.get(2).path("results").isEmpty()).isTrue();

    List<LoginAttempt> logins =
        snowflake.logins().stream().filter(l -> user.equalsIgnoreCase(l.user())).toList();
    assertThat(logins).extracting(LoginAttempt::slot).containsExactly(1, 2, 0);
    assertThat(logins.getLast().reason()).startsWith("JWT_TOKEN_INVALID_PUBLIC_KEY_FINGERPRINT_MISMATCH");
  }

  @Test
  void aKeyAdminSetsSlotTwoAndDescribesTheUserThenTheUserLogsInWithTheNewKey() {
    String user = newServiceUser();
    String pem = TestDriver.publicPem(NEW.getPublic());

    List<JsonNode> sessions =
        run(
            session(user, NEW),
            session(
                "NODE_KEY_ADMIN",
                ADMIN,
                "ALTER USER " + user + " SET RSA_PUBLIC_KEY_2='" + pem + "'",
                "DESC USER " + user),
            session(user, NEW, "SELECT CURRENT_USER()"));

    assertJwtRefused(sessions.get(0));
    assertLoggedIn(sessions.get(1));
    JsonNode alter = sessions.get(1).path("results").get(0);
    assertThat(alter.path("ok").asBoolean()).as("%s", alter).isTrue();
    assertThat(alter.path("rows").toString()).isEqualTo("[{\"status\":\"Statement executed successfully.\"}]");
    Map<String, String> desc = new HashMap<>();
    for (JsonNode row : sessions.get(1).path("results").get(1).path("rows")) {
      desc.put(row.path("property").asText(), row.path("value").asText());
    }
    assertThat(desc)
        .containsEntry("NAME", user)
        .containsEntry("RSA_PUBLIC_KEY_FP", Fingerprints.spkiSha256(OLD.getPublic()))
        .containsEntry("RSA_PUBLIC_KEY_2_FP", Fingerprints.spkiSha256(NEW.getPublic()));
    assertLoggedIn(sessions.get(2));
    assertThat(sessions.get(2).path("results").get(0).path("rows").toString())
        .isEqualTo("[{\"CURRENT_USER()\":\"" + user + "\"}]");
    assertThat(lastLoginOf(user).slot()).isEqualTo(2);
    assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKey2Fp())
        .isEqualTo(Fingerprints.spkiSha256(NEW.getPublic()));
  }

  @Test
  void aUserWithoutThePrivilegeIsRefusedAndNothingChanges() {
    String target = newServiceUser();
    String caller = newServiceUser();

    List<JsonNode> sessions =
        run(
            session(
                caller,
                OLD,
                "ALTER USER " + target + " SET RSA_PUBLIC_KEY_2='" + TestDriver.publicPem(NEW.getPublic()) + "'"));

    assertLoggedIn(sessions.get(0));
    JsonNode refused = sessions.get(0).path("results").get(0);
    assertThat(refused.path("ok").asBoolean()).isFalse();
    assertThat(refused.path("code").asText()).isEqualTo("003001");
    assertThat(refused.path("sqlState").asText()).isEqualTo("42501");
    assertThat(refused.path("message").asText()).contains("Insufficient privileges");
    assertThat(snowflake.keySlots(ACCOUNT, target).rsaPublicKey2Fp()).isNull();
  }
}
