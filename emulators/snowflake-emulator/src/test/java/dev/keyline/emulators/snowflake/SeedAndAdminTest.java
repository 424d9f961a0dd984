package dev.keyline.emulators.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.PublicKeys;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** The seed format, the state dump and the admin endpoints. */
class SeedAndAdminTest {

  private static final KeyPair ADMIN = TestDriver.key("seed-admin");
  private static final KeyPair SVC = TestDriver.key("seed-svc");
  private static final KeyPair NEXT = TestDriver.key("seed-next");

  static String seed() {
    return """
        {"accounts": [{
          "name": "seeded",
          "warehouses": ["ETL_WH"],
          "databases": [{"name": "ANALYTICS", "schemas": ["RAW"]}],
          "roles": [
            {"name": "KEY_ADMIN", "roles": ["USERADMIN"],
             "grants": [{"privilege": "MODIFY PROGRAMMATIC AUTHENTICATION METHODS", "on": "USER", "name": "svc_seed"}]},
            {"name": "OWNER_ROLE", "grants": [{"privilege": "OWNERSHIP", "on": "USER", "name": "\\"lower_svc\\""}]}
          ],
          "users": [
            {"name": "ADMIN", "defaultRole": "KEY_ADMIN", "roles": ["KEY_ADMIN"], "rsaPublicKey": "%s"},
            {"name": "svc_seed", "loginName": "svc-seed@example.com", "defaultRole": "LOADER", "roles": ["LOADER"],
             "defaultWarehouse": "ETL_WH", "type": "SERVICE", "rsaPublicKey": "%s", "rsaPublicKey2": null},
            {"name": "\\"lower_svc\\"", "loginName": "LOWER_SVC", "owner": "USERADMIN"}
          ]
        }]}
        """
        .formatted(
            TestDriver.publicPem(ADMIN.getPublic()).replace("\n", "\\n"),
            PublicKeys.toBase64Der(SVC.getPublic()));
  }

  @Test
  void aSeededAccountWorksWithTheDriver() throws SQLException {
    try (SnowflakeEmulator snowflake = SnowflakeEmulator.start(new SnowflakeEmulator.Config().seedJson(seed()))) {
      assertThat(snowflake.keySlots("SEEDED", "svc_seed").rsaPublicKeyFp())
          .isEqualTo(Fingerprints.spkiSha256(SVC.getPublic()));

      try (Connection svc =
          DriverManager.getConnection(
              snowflake.jdbcUrl(), TestDriver.props("seeded", "SVC-SEED@example.com", SVC.getPrivate(), null))) {
        assertThat(TestDriver.query(svc, "SELECT CURRENT_USER(), CURRENT_ROLE(), CURRENT_WAREHOUSE()"))
            .containsExactly(Map.of("CURRENT_USER()", "SVC_SEED", "CURRENT_ROLE()", "LOADER", "CURRENT_WAREHOUSE()", "ETL_WH"));
        assertThat(TestDriver.describeUser(svc, "svc_seed")).containsEntry("TYPE", "SERVICE")
            .containsEntry("LOGIN_NAME", "SVC-SEED@EXAMPLE.COM");
      }
      try (Connection admin =
          DriverManager.getConnection(snowflake.jdbcUrl(), TestDriver.props("SEEDED", "ADMIN", ADMIN.getPrivate(), null))) {
        TestDriver.execute(admin, "ALTER USER svc_seed SET RSA_PUBLIC_KEY_2='" + PublicKeys.toBase64Der(NEXT.getPublic()) + "'");
        // KEY_ADMIN inherits USERADMIN, which owns users by default; OWNER_ROLE took "lower_svc"
        TestDriver.execute(admin, "ALTER USER admin UNSET RSA_PUBLIC_KEY_2");
        assertThat(TestDriver.sqlError(() -> TestDriver.execute(admin, "ALTER USER \"lower_svc\" UNSET RSA_PUBLIC_KEY")).getErrorCode())
            .isEqualTo(3001);
      }
      assertThat(snowflake.keySlots("SEEDED", "SVC_SEED").rsaPublicKey2Fp())
          .isEqualTo(Fingerprints.spkiSha256(NEXT.getPublic()));
    }
  }

  @Test
  void theStateDumpLoadsBackIntoAnotherEmulator() {
    try (SnowflakeEmulator first = SnowflakeEmulator.start(new SnowflakeEmulator.Config().seedJson(seed()));
        SnowflakeEmulator second = SnowflakeEmulator.start()) {
      first.setKeySlot("seeded", "svc_seed", 2, NEXT.getPublic());

      second.loadSeed(first.stateJson());

      assertThat(second.keySlots("SEEDED", "SVC_SEED").rsaPublicKey2Fp())
          .isEqualTo(Fingerprints.spkiSha256(NEXT.getPublic()));
      assertThat(second.stateJson()).contains("\"owner\" : \"OWNER_ROLE\"").contains("svc-seed@example.com".toUpperCase());
    }
  }

  /** What starting an emulator with this seed throws. */
  private static AbstractThrowableAssert<?, ? extends Throwable> seedRefused(String json) {
    return assertThatThrownBy(() -> SnowflakeEmulator.start(new SnowflakeEmulator.Config().seedJson(json)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mistakesInASeedAreRefusedWithTheirLocation() {
    seedRefused(
        "{\"accounts\":[{\"name\":\"A\",\"users\":[{\"name\":\"U\",\"rsa_public_key\":\"x\"}]}]}")
        .hasMessageContaining("account A user")
        .hasMessageContaining("unknown field 'rsa_public_key'");
    seedRefused(
        "{\"accounts\":[{\"name\":\"A\",\"users\":[{\"name\":\"U\",\"rsaPublicKey\":\"not a key\"}]}]}")
        .hasMessageContaining("user U rsaPublicKey");
    seedRefused(
        "{\"accounts\":[{\"name\":\"A\",\"roles\":[{\"name\":\"R\",\"grants\":"
            + "[{\"privilege\":\"OWNERSHIP\",\"on\":\"USER\",\"name\":\"GHOST\"}]}]}]}")
        .hasMessageContaining("grant on unknown user GHOST");
    try (SnowflakeEmulator snowflake = SnowflakeEmulator.start()) {
      assertThatThrownBy(() -> snowflake.loadSeed(
              "{\"accounts\":[{\"name\":\"A\",\"users\":[{\"name\":\"U\"},{\"name\":\"V\",\"loginName\":\"u\"}]}]}"))
          .hasMessageContaining("login name U is already used");
    }
  }

  static String restrictedSeed() {
    return """
        {"accounts": [{
          "name": "restricted",
          "warehouses": ["OPEN_WH", {"name": "LOCKED_WH", "usage": ["FINANCE"]}, {"name": "OWNER_ONLY_WH", "usage": []}],
          "databases": [
            {"name": "OPEN_DB", "schemas": ["RAW"]},
            {"name": "FIN_DB", "usage": ["FINANCE", "AUDITOR"],
             "schemas": ["RAW", {"name": "PAYROLL", "usage": ["FINANCE"]}]},
            {"name": "LISTED_DB", "usage": ["AUDITOR"], "schemas": [{"name": "PUBLIC", "usage": ["FINANCE"]}]}
          ],
          "roles": [{"name": "FINANCE"}, {"name": "AUDITOR"}],
          "users": [
            {"name": "CLERK", "defaultRole": "LOADER", "roles": ["LOADER"], "rsaPublicKey": "%s"},
            {"name": "AUDIT", "defaultRole": "AUDITOR", "roles": ["AUDITOR"], "rsaPublicKey": "%s"}
          ]
        }]}
        """
        .formatted(PublicKeys.toBase64Der(SVC.getPublic()), PublicKeys.toBase64Der(ADMIN.getPublic()));
  }

  private static Map<String, String> session(SnowflakeEmulator snowflake, String user, KeyPair key, String warehouse,
      String database, String schema) throws SQLException {
    java.util.Properties props = TestDriver.props("restricted", user, key.getPrivate(), null);
    props.put("warehouse", warehouse);
    props.put("db", database);
    props.put("schema", schema);
    try (Connection connection = DriverManager.getConnection(snowflake.jdbcUrl(), props)) {
      Map<String, String> row = new java.util.HashMap<>(
          TestDriver.query(connection, "SELECT CURRENT_WAREHOUSE() w, CURRENT_DATABASE() d, CURRENT_SCHEMA() s").get(0));
      row.values().removeIf(java.util.Objects::isNull);
      return row;
    }
  }

  @Test
  void warehousesAndDatabasesMayBeRestrictedToRolesInTheSeed() throws SQLException {
    try (SnowflakeEmulator snowflake = SnowflakeEmulator.start(new SnowflakeEmulator.Config().seedJson(restrictedSeed()))) {
      // LOADER holds no USAGE: the plain names only (granted to PUBLIC).
      assertThat(session(snowflake, "CLERK", SVC, "LOCKED_WH", "FIN_DB", "RAW")).isEmpty();
      assertThat(session(snowflake, "CLERK", SVC, "OPEN_WH", "OPEN_DB", "RAW"))
          .isEqualTo(Map.of("W", "OPEN_WH", "D", "OPEN_DB", "S", "RAW"));
      // AUDITOR may use FIN_DB and its schemas given by name, not PAYROLL, nor LOCKED_WH.
      assertThat(session(snowflake, "AUDIT", ADMIN, "LOCKED_WH", "FIN_DB", "RAW"))
          .isEqualTo(Map.of("D", "FIN_DB", "S", "RAW"));
      assertThat(session(snowflake, "AUDIT", ADMIN, "OWNER_ONLY_WH", "FIN_DB", "PAYROLL"))
          .isEqualTo(Map.of("D", "FIN_DB"));
      // LISTED_DB lists PUBLIC with its own grant: AUDITOR gets the database, not PUBLIC.
      assertThat(session(snowflake, "AUDIT", ADMIN, "COMPUTE_WH", "LISTED_DB", "PUBLIC"))
          .isEqualTo(Map.of("W", "COMPUTE_WH", "D", "LISTED_DB"));
    }
  }

  @Test
  void restrictedWarehousesAndDatabasesSurviveTheStateDump() {
    try (SnowflakeEmulator first = SnowflakeEmulator.start(new SnowflakeEmulator.Config().seedJson(restrictedSeed()));
        SnowflakeEmulator second = SnowflakeEmulator.start()) {
      first.account("restricted").role("AUDITOR").usageOnWarehouse("OPEN_WH", "LOCKED_WH").usageOnDatabase("OPEN_DB");
      JsonNode dumped = catalogue(first.stateJson());
      assertThat(dumped.path("warehouses").toString())
          .isEqualTo("[\"COMPUTE_WH\",{\"name\":\"OPEN_WH\",\"usage\":[\"PUBLIC\",\"AUDITOR\"]},"
              + "{\"name\":\"LOCKED_WH\",\"usage\":[\"FINANCE\",\"AUDITOR\"]},{\"name\":\"OWNER_ONLY_WH\",\"usage\":[]}]");
      assertThat(dumped.path("databases").toString())
          .contains("{\"name\":\"FIN_DB\",\"usage\":[\"FINANCE\",\"AUDITOR\"],"
              + "\"schemas\":[\"INFORMATION_SCHEMA\",\"PUBLIC\",\"RAW\",{\"name\":\"PAYROLL\",\"usage\":[\"FINANCE\"]}]}")
          .contains("{\"name\":\"OPEN_DB\",\"usage\":[\"PUBLIC\",\"AUDITOR\"],"
              + "\"schemas\":[\"INFORMATION_SCHEMA\",{\"name\":\"PUBLIC\",\"usage\":[\"PUBLIC\"]}");

      second.loadSeed(first.stateJson());

      assertThat(catalogue(second.stateJson())).isEqualTo(dumped);
    }
  }

  /** The dumped account's warehouses and databases. */
  private static JsonNode catalogue(String state) {
    JsonNode account = Seed.read(state).path("accounts").get(0);
    return Json.object().setAll(java.util.Map.of(
        "warehouses", account.path("warehouses"), "databases", account.path("databases")));
  }

  @Test
  void mistakesInRestrictedWarehousesAndDatabasesAreRefusedWithTheirLocation() {
    seedRefused(
        "{\"accounts\":[{\"name\":\"A\",\"warehouses\":[{\"name\":\"W\",\"usges\":[\"PUBLIC\"]}]}]}")
        .hasMessageContaining("account A warehouse")
        .hasMessageContaining("unknown field 'usges'");
    seedRefused(
        "{\"accounts\":[{\"name\":\"A\",\"warehouses\":[{\"name\":\"W\",\"usage\":[\"GHOST\"]}]}]}")
        .hasMessageContaining("account A warehouse W grants USAGE to unknown role GHOST");
    seedRefused(
        "{\"accounts\":[{\"name\":\"A\",\"databases\":[{\"name\":\"D\",\"schemas\":"
            + "[{\"name\":\"S\",\"usage\":[\"GHOST\"]}]}]}]}")
        .hasMessageContaining("account A database D schema S grants USAGE to unknown role GHOST");
    seedRefused(
        "{\"accounts\":[{\"name\":\"A\",\"databases\":[{\"name\":\"D\",\"schemas\":[{\"name\":\"S\",\"owner\":\"X\"}]}]}]}")
        .hasMessageContaining("account A database D schema has unknown field 'owner'");
    seedRefused("{\"accounts\":[{\"name\":\"A\",\"warehouses\":[42]}]}")
        .hasMessageContaining("account A warehouse must be a name or a JSON object");
    seedRefused(
        "{\"accounts\":[{\"name\":\"A\",\"databases\":[{\"name\":\"D\",\"usage\":\"PUBLIC\"}]}]}")
        .hasMessageContaining("field 'usage' must be an array");
  }

  @Test
  void adminEndpointsExposeStateKeySlotsHistoryAndFaults() {
    try (SnowflakeEmulator snowflake = SnowflakeEmulator.start(new SnowflakeEmulator.Config().seedJson(seed()))) {
      RawClient http = new RawClient(snowflake.url());
      String slots = "/__admin/accounts/seeded/users/" + URLEncoder.encode("\"lower_svc\"", StandardCharsets.UTF_8) + "/key-slots";

      JsonNode state = http.send("GET", "/__admin/state", null).body();
      assertThat(state.path("accounts").get(0).path("name").asText()).isEqualTo("SEEDED");

      RawClient.Reply put =
          http.send("PUT", slots + "/2", "{\"publicKey\":\"" + PublicKeys.toBase64Der(NEXT.getPublic()) + "\"}");
      assertThat(put.status()).isEqualTo(200);
      assertThat(put.body().path("rsaPublicKey2Fp").asText()).isEqualTo(Fingerprints.spkiSha256(NEXT.getPublic()));
      assertThat(snowflake.keySlots("SEEDED", "\"lower_svc\"").rsaPublicKey2Fp()).isEqualTo(Fingerprints.spkiSha256(NEXT.getPublic()));
      assertThat(http.send("GET", slots, null).body().path("rsaPublicKey2Fp").asText()).startsWith("SHA256:");
      assertThat(http.send("DELETE", slots + "/2", null).body().path("rsaPublicKey2Fp").isNull()).isTrue();
      assertThat(http.send("PUT", slots + "/2", "{\"publicKey\":\"garbage\"}").status()).isEqualTo(400);
      assertThat(http.send("PUT", slots + "/3", "{\"publicKey\":\"garbage\"}").status()).isEqualTo(400);
      assertThat(http.send("GET", "/__admin/accounts/seeded/users/nobody/key-slots", null).status()).isEqualTo(400);

      assertThat(http.send("POST", "/__admin/faults", "{\"failNextLogin\":\"390144\"}").status()).isEqualTo(200);
      RawClient.Reply login = http.login("SEEDED", "SVC-SEED@EXAMPLE.COM", RawClient.jwt("SEEDED", "SVC-SEED@EXAMPLE.COM", SVC));
      assertThat(login.body().path("code").asText()).isEqualTo("390144");
      JsonNode logins = http.send("GET", "/__admin/logins", null).body();
      assertThat(logins.get(0).path("reason").asText()).isEqualTo("injected failure");

      assertThat(http.send("POST", "/__admin/faults", "{\"failNextRequests\":1,\"failStatus\":500}").status()).isEqualTo(200);
      assertThat(http.login("SEEDED", "X", "y").status()).isEqualTo(500);
      assertThat(http.send("POST", "/__admin/faults",
          "{\"failNextStatement\":{\"code\":\"000603\",\"matching\":[\"DESC USER\"]},"
              + "\"failNextLoginOf\":{\"user\":\"svc-seed@example.com\",\"code\":\"390189\"}}").status())
          .isEqualTo(200);
      RawClient.Reply other = http.login("SEEDED", "X", "y");
      assertThat(other.body().path("code").asText()).as("another user's login").isNotEqualTo("390189");
      assertThat(http.login("SEEDED", "SVC-SEED@EXAMPLE.COM", RawClient.jwt("SEEDED", "SVC-SEED@EXAMPLE.COM", SVC))
          .body().path("code").asText()).isEqualTo("390189");
      assertThat(http.send("POST", "/__admin/faults", "{\"failNextStatement\":{\"code\":\"000603\"}}").status())
          .isEqualTo(400);
      assertThat(http.send("POST", "/__admin/faults", "{\"failNextLoginOf\":{\"code\":\"390144\"}}").status())
          .isEqualTo(400);
      assertThat(http.send("POST", "/__admin/faults", "{\"bogus\":1}").status()).isEqualTo(400);
      assertThat(http.send("DELETE", "/__admin/faults", null).status()).isEqualTo(200);

      assertThat(http.send("POST", "/__admin/seed", "{\"accounts\":[{\"name\":\"more\"}]}").status()).isEqualTo(200);
      assertThat(snowflake.account("MORE").users()).isEmpty();
      assertThat(http.send("GET", "/__admin/nothing", null).status()).isEqualTo(404);
    }
  }
}
