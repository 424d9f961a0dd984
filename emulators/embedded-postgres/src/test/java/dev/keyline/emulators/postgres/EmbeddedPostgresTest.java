package dev.keyline.emulators.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

  private EmbeddedPostgres postgres;

  @AfterEach
  void closeCluster() {
    if (postgres != null) {
      postgres.close();
    }
  }

  static Path freshDirectory() {
    return Path.of("target", "test-pg-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
  }

  @Test
  void startsAClusterTheConfiguredUserCanUseOverJdbc() throws SQLException {
    long started = System.nanoTime();
    postgres = EmbeddedPostgres.start(freshDirectory());
    Duration startup = Duration.ofNanos(System.nanoTime() - started);

    assertThat(startup).isLessThan(Duration.ofSeconds(20));
    assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/keyline");
    assertThat(postgres.username()).isEqualTo("keyline");
    assertThat(postgres.password()).isEqualTo("keyline");
    try (Connection connection =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL)");
      statement.execute("INSERT INTO note VALUES (1, 'grüße'), (2, 'second')");
      try (ResultSet rows = statement.executeQuery("SELECT body FROM note ORDER BY id")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("grüße");
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("second");
        assertThat(rows.next()).isFalse();
      }
      try (ResultSet rows = statement.executeQuery("SELECT current_user, current_database(), pg_encoding_to_char(encoding), rolsuper FROM pg_database, pg_roles WHERE datname = current_database() AND rolname = current_user")) {
        rows.next();
        assertThat(rows.getString(1)).isEqualTo("keyline");
        assertThat(rows.getString(2)).isEqualTo("keyline");
        assertThat(rows.getString(3)).isEqualTo("UTF8");
        assertThat(rows.getBoolean(4)).isFalse();
      }
    }
  }

  @Test
  void listensOnLoopbackOnlyWithDurabilityOff() throws SQLException {
    postgres = EmbeddedPostgres.start(freshDirectory());

    try (Connection connection =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
        Statement statement = connection.createStatement()) {
      assertThat(setting(statement, "listen_addresses")).isEqualTo("127.0.0.1");
      assertThat(setting(statement, "fsync")).isEqualTo("off");
      assertThat(setting(statement, "port")).isEqualTo(Integer.toString(postgres.port()));
    }
  }

  @Test
  void createdDatabasesBelongToTheUser() throws SQLException {
    postgres =
        EmbeddedPostgres.start(
            freshDirectory(),
            new EmbeddedPostgres.Config().database("main_db").username("svc").password("pw'with\"quotes"));

    String url = postgres.createDatabase("certificates");

    assertThat(url).endsWith("/certificates");
    try (Connection connection = DriverManager.getConnection(url, "svc", "pw'with\"quotes");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA certs");
      statement.execute("CREATE TABLE certs.c (id int)");
      try (ResultSet rows = statement.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'certificates'")) {
        rows.next();
        assertThat(rows.getString(1)).isEqualTo("svc");
      }
    }
    assertThatThrownBy(() -> postgres.createDatabase("certificates"))
        .isInstanceOf(EmbeddedPostgresException.class)
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> postgres.createDatabase("bad-name; DROP"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeStopsTheServerAndRemovesTheDirectory() throws SQLException {
    postgres = EmbeddedPostgres.start(freshDirectory());
    Path directory = postgres.directory();
    String url = postgres.jdbcUrl();
    long postmaster = new ClusterDirectory(directory).postmasterPid().orElseThrow();
    DriverManager.getConnection(url, "keyline", "keyline").close();

    postgres.close();
    postgres.close();

    assertThat(directory).doesNotExist();
    assertThat(ProcessHandle.of(postmaster).map(PgCtl::running).orElse(false)).isFalse();
    assertThatThrownBy(() -> DriverManager.getConnection(url, "keyline", "keyline"))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> postgres.createDatabase("late")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFailedStartReportsTheServerLogAndCleansUp() throws IOException {
    Path directory = freshDirectory();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

      assertThatThrownBy(
              () ->
                  EmbeddedPostgres.start(
                      directory, new EmbeddedPostgres.Config().port(taken.getLocalPort())))
          .isInstanceOf(EmbeddedPostgresException.class)
          .hasMessageContaining("did not start on 127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("last lines of")
          .hasMessageContaining("could not bind");
    }
    assertThat(directory).doesNotExist();
  }

  @Test
  void directoriesItDidNotMakeAreNeitherUsedNorDeleted() throws IOException {
    Path directory = freshDirectory();
    Files.createDirectories(directory);
    Path precious = Files.writeString(directory.resolve("precious.txt"), "keep me");

    assertThatThrownBy(() -> EmbeddedPostgres.start(directory))
        .isInstanceOf(EmbeddedPostgresException.class)
        .hasMessageContaining("not made by embedded-postgres");

    assertThat(precious).hasContent("keep me");
    Files.delete(precious);
    Files.delete(directory);
  }

  @Test
  void aDirectoryThePostgresUserCannotReachIsNamedInTheError(@TempDir Path privateDir) {
    assumeTrue(ClusterOwner.runningAsRoot(), "only root hands the cluster to another OS user");
    Path directory = privateDir.resolve("cluster");

    assertThatThrownBy(() -> EmbeddedPostgres.start(directory))
        .isInstanceOf(EmbeddedPostgresException.class)
        .hasMessageContaining("cannot reach")
        .hasMessageContaining(privateDir.toString());
    assertThat(directory).doesNotExist();
  }

  @Test
  void invalidNamesAreRefusedBeforeAnythingStarts() {
    assertThatThrownBy(() -> new EmbeddedPostgres.Config().database("1abc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EmbeddedPostgres.Config().username("a b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EmbeddedPostgres.Config().password(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String setting(Statement statement, String name) throws SQLException {
    try (ResultSet rows = statement.executeQuery("SELECT current_setting('" + name + "')")) {
      rows.next();
      return rows.getString(1);
    }
  }
}
