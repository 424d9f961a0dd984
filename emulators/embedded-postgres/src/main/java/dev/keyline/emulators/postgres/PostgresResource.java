package dev.keyline.emulators.postgres;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Gives a Quarkus test a PostgreSQL database:
 *
 * <pre>
 * &#64;QuarkusTest
 * &#64;QuarkusTestResource(PostgresResource.class)
 * class SomeTest { }
 * </pre>
 *
 * Returns {@code quarkus.datasource.jdbc.url}, {@code quarkus.datasource.username}, {@code
 * quarkus.datasource.password} and {@code quarkus.datasource.devservices.enabled=false}. With
 * {@code KEYLINE_TEST_JDBC_URL} set (see {@link ExternalDatabase}) those point at that database;
 * otherwise an {@link EmbeddedPostgres} is started under {@code target/embedded-pg-<random>} of the
 * working directory (the module directory under Maven), after clusters abandoned there by killed
 * runs were removed. Init args (optional): {@code database}, {@code username}, {@code password}.
 *
 * <p>Why under {@code target/}: {@code mvn clean} removes whatever is left, and every module keeps
 * its own clusters, so parallel module builds do not meet.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

  private final UnaryOperator<String> settings;
  private final Path workingDirectory;
  private EmbeddedPostgres.Config config = new EmbeddedPostgres.Config();
  private EmbeddedPostgres postgres;

  public PostgresResource() {
    this(name -> System.getProperty(name, System.getenv(name)), Path.of("").toAbsolutePath());
  }

  /** For tests: where settings come from and which directory holds {@code target/}. */
  PostgresResource(UnaryOperator<String> settings, Path workingDirectory) {
    this.settings = settings;
    this.workingDirectory = workingDirectory;
  }

  @Override
  public void init(Map<String, String> initArgs) {
    EmbeddedPostgres.Config configured = new EmbeddedPostgres.Config();
    Optional.ofNullable(initArgs.get("database")).ifPresent(configured::database);
    Optional.ofNullable(initArgs.get("username")).ifPresent(configured::username);
    Optional.ofNullable(initArgs.get("password")).ifPresent(configured::password);
    config = configured;
  }

  @Override
  public Map<String, String> start() {
    Optional<ExternalDatabase> external = ExternalDatabase.from(settings);
    if (external.isPresent()) {
      return external.get().quarkusConfig();
    }
    Path target = workingDirectory.resolve("target");
    StaleClusters.removeAbandoned(target);
    String name = StaleClusters.PREFIX + UUID.randomUUID().toString().substring(0, 8);
    postgres = EmbeddedPostgres.start(target.resolve(name), config);
    return new ExternalDatabase(postgres.jdbcUrl(), postgres.username(), postgres.password())
        .quarkusConfig();
  }

  @Override
  public void inject(TestInjector testInjector) {
    if (postgres != null) {
      testInjector.injectIntoFields(
          postgres,
          new TestInjector.AnnotatedAndMatchesType(
              InjectEmbeddedPostgres.class, EmbeddedPostgres.class));
    }
  }

  @Override
  public void stop() {
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }
}
