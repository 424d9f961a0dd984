package dev.keyline.emulators.postgres;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A database given from outside through {@code KEYLINE_TEST_JDBC_URL}, {@code
 * KEYLINE_TEST_JDBC_USERNAME} and {@code KEYLINE_TEST_JDBC_PASSWORD} (system properties first,
 * then environment variables).
 *
 * <p>Why: where a PostgreSQL already runs (a CI service, a developer's own server) tests should
 * use it instead of creating a cluster, and where the binaries are missing it is the way out.
 *
 * @param username {@code null} when not given
 * @param password {@code null} when not given
 */
public record ExternalDatabase(String jdbcUrl, String username, String password) {

  static final String URL = "KEYLINE_TEST_JDBC_URL";
  static final String USERNAME = "KEYLINE_TEST_JDBC_USERNAME";
  static final String PASSWORD = "KEYLINE_TEST_JDBC_PASSWORD";

  /** Reads system properties, then the environment. */
  public static Optional<ExternalDatabase> configured() {
    return from(name -> System.getProperty(name, System.getenv(name)));
  }

  public static Optional<ExternalDatabase> from(UnaryOperator<String> settings) {
    String url = settings.apply(URL);
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new ExternalDatabase(url.trim(), settings.apply(USERNAME), settings.apply(PASSWORD)));
  }

  /** The Quarkus datasource settings pointing at this database. */
  public Map<String, String> quarkusConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("quarkus.datasource.jdbc.url", jdbcUrl);
    if (username != null) {
      config.put("quarkus.datasource.username", username);
    }
    if (password != null) {
      config.put("quarkus.datasource.password", password);
    }
    config.put("quarkus.datasource.devservices.enabled", "false");
    return config;
  }
}
