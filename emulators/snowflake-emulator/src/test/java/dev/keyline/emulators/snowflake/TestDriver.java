package dev.keyline.emulators.snowflake;

import dev.keyline.keys.RsaKeys;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One emulator for all driver tests of this JVM (the driver's first connect costs seconds; a
 * restart per test would too), plus connection helpers. Tests use their own accounts or users so
 * that they do not see each other's changes.
 */
final class TestDriver {

  private static SnowflakeEmulator shared;
  private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();

  private TestDriver() {}

  static synchronized SnowflakeEmulator emulator() {
    if (shared == null) {
      shared = SnowflakeEmulator.start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /**
   * Seeds {@code account} with a KEY_ADMIN role that may change any user's keys and a user of that
   * role holding {@code key}, and connects as that user.
   */
  static Connection keyAdmin(String account, String user, KeyPair key) throws SQLException {
    SnowflakeAccount a = emulator().account(account);
    a.role("KEY_ADMIN").modifyProgrammaticAuthenticationMethodsOnAccount();
    a.user(user).role("KEY_ADMIN").rsaPublicKey(key.getPublic());
    return connect(account, user, key.getPrivate());
  }

  /** A fresh user {@code <prefix><n>} with the plain role LOADER and {@code key} in slot 1. */
  static String serviceUser(String account, String prefix, java.util.concurrent.atomic.AtomicInteger counter,
      KeyPair key) {
    String name = prefix + counter.incrementAndGet();
    emulator().account(account).user(name).role("LOADER").rsaPublicKey(key.getPublic());
    return name;
  }

  /** A 2048-bit key pair per name, generated once per JVM (key generation costs ~100 ms). */
  static KeyPair key(String name) {
    return KEYS.computeIfAbsent(name, n -> RsaKeys.generate(2048));
  }

  /** PKCS#8 PEM of a private key, as a file would hold it. */
  static String pkcs8Pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** SPKI PEM of a public key, with line breaks. */
  static String publicPem(java.security.PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The vendor code of the SQLException {@code action} throws (fails the test if none). */
  static SQLException sqlError(SqlAction action) {
    try {
      action.run();
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("expected an SQLException");
  }

  @FunctionalInterface
  interface SqlAction {
    void run() throws SQLException;
  }

  static Properties props(String account, String user, PrivateKey key, String role) {
    Properties props = new Properties();
    props.put("account", account);
    props.put("user", user);
    props.put("authenticator", "SNOWFLAKE_JWT");
    props.put("privateKey", key);
    props.put("disablePlatformDetection", "true");
    props.put("loginTimeout", "30");
    if (role != null) {
      props.put("role", role);
    }
    return props;
  }

  static Connection connect(String account, String user, PrivateKey key) throws SQLException {
    return connect(account, user, key, null);
  }

  static Connection connect(String account, String user, PrivateKey key, String role)
      throws SQLException {
    return DriverManager.getConnection(emulator().jdbcUrl(), props(account, user, key, role));
  }

  /** Runs a query and returns its rows as column label → string value maps. */
  static List<Map<String, String>> query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      List<Map<String, String>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns; i++) {
          row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /** DESC USER as property → value. */
  static Map<String, String> describeUser(Connection connection, String user) throws SQLException {
    Map<String, String> properties = new LinkedHashMap<>();
    for (Map<String, String> row : query(connection, "DESC USER " + user)) {
      properties.put(row.get("property"), row.get("value"));
    }
    return properties;
  }

  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
