package dev.keyline.emulators.snowflake;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a {@link SnowflakeEmulator} for a Quarkus test:
 *
 * <pre>
 * &#64;QuarkusTest
 * &#64;QuarkusTestResource(value = SnowflakeEmulatorResource.class,
 *     initArgs = &#64;ResourceArg(name = "seed", value = "snowflake-seed.json"))
 * class SomeTest {
 *   &#64;InjectSnowflakeEmulator SnowflakeEmulator snowflake;
 * }
 * </pre>
 *
 * Returns {@code keyline.test.snowflake.url} (for instance {@code http://127.0.0.1:41234}) and
 * {@code keyline.test.snowflake.jdbc-url}; services map them onto their own configuration. Init
 * args (optional): {@code seed} (a classpath resource, else a file path), {@code port}.
 */
public class SnowflakeEmulatorResource implements QuarkusTestResourceLifecycleManager {

  public static final String URL_PROPERTY = "keyline.test.snowflake.url";
  public static final String JDBC_URL_PROPERTY = "keyline.test.snowflake.jdbc-url";

  private SnowflakeEmulator.Config config = new SnowflakeEmulator.Config();
  private SnowflakeEmulator emulator;

  @Override
  public void init(Map<String, String> initArgs) {
    SnowflakeEmulator.Config configured = new SnowflakeEmulator.Config();
    String seed = initArgs.get("seed");
    if (seed != null && !seed.isBlank()) {
      configured.seedJson(readSeed(seed.trim()));
    }
    String port = initArgs.get("port");
    if (port != null && !port.isBlank()) {
      configured.port(Integer.parseInt(port.trim()));
    }
    config = configured;
  }

  @Override
  public Map<String, String> start() {
    emulator = SnowflakeEmulator.start(config);
    Map<String, String> properties = new HashMap<>();
    properties.put(URL_PROPERTY, emulator.url());
    properties.put(JDBC_URL_PROPERTY, emulator.jdbcUrl());
    return properties;
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        emulator,
        new TestInjector.AnnotatedAndMatchesType(
            InjectSnowflakeEmulator.class, SnowflakeEmulator.class));
  }

  @Override
  public void stop() {
    if (emulator != null) {
      emulator.close();
      emulator = null;
    }
  }

  private static String readSeed(String location) {
    String resource = location.startsWith("/") ? location.substring(1) : location;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try (InputStream in =
        loader == null ? null : loader.getResourceAsStream(resource)) {
      if (in != null) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(Path.of(location));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Snowflake seed " + location, e);
    }
  }
}
