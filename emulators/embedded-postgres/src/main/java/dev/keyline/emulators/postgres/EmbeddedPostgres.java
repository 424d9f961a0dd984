package dev.keyline.emulators.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster made from the installed server binaries: {@code initdb} into a
 * fresh directory, a server on a free port of 127.0.0.1, one login role owning one database, and
 * on {@link #close()} a fast shutdown and the directory deleted.
 *
 * <p>Why not Testcontainers or Dev Services: neither Docker nor downloads are available where our
 * tests run, while the distribution's PostgreSQL is; a real server of the same major version as
 * production catches what an in-memory substitute would not.
 *
 * <p>Why so careful about ending: an orphaned server keeps a port and memory until the machine
 * restarts. A shutdown hook covers normal exits and SIGTERM/SIGINT, an {@link OrphanWatchdog}
 * covers a killed JVM, and {@link PostgresResource} removes clusters of earlier runs whose JVM is
 * gone.
 *
 * <p>Authentication is {@code trust} for local connections (socket and 127.0.0.1), as the server
 * listens on nothing else; the role and superuser still get passwords, so clients configured with
 * one work unchanged.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  /** The bootstrap superuser of every cluster. */
  public static final String SUPERUSER = "postgres";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration SQL_TIMEOUT = Duration.ofSeconds(30);
  /** sun_path holds 108 bytes including the socket's own name {@code .s.PGSQL.NNNNN}. */
  private static final int MAX_SOCKET_DIRECTORY_LENGTH = 90;
  private static final int PORT_ATTEMPTS = 3;
  private static final Map<String, String> ENVIRONMENT = PgCtl.ENVIRONMENT;

  private final ClusterDirectory cluster;
  private final PostgresBinaries binaries;
  private final ClusterOwner owner;
  private final PgCtl pgCtl;
  private final Config config;
  private final String superuserPassword;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;
  private OrphanWatchdog watchdog;
  private volatile boolean claimed;
  private int port;

  private EmbeddedPostgres(Path baseDir, Config config) {
    this.cluster = new ClusterDirectory(baseDir);
    this.config = config;
    this.binaries =
        config.binDirectory == null ? PostgresBinaries.locate() : PostgresBinaries.in(config.binDirectory);
    this.owner = ClusterOwner.forCurrentUser();
    this.pgCtl = new PgCtl(binaries, owner, cluster);
    this.superuserPassword = HexFormat.of().formatHex(randomBytes(16));
    this.shutdownHook = new Thread(this::closeQuietly, "embedded-postgres-shutdown");
  }

  /** Starts a cluster in {@code baseDir} with the default role and database {@code keyline}. */
  public static EmbeddedPostgres start(Path baseDir) {
    return start(baseDir, new Config());
  }

  /**
   * Starts a cluster in {@code baseDir}, which must be absent, empty, or a directory left by an
   * earlier cluster whose JVM is gone (it is then wiped).
   *
   * @throws EmbeddedPostgresException with the server log's tail when the server does not start
   */
  public static EmbeddedPostgres start(Path baseDir, Config config) {
    Objects.requireNonNull(baseDir, "baseDir");
    EmbeddedPostgres postgres = new EmbeddedPostgres(baseDir, config.copy());
    try {
      postgres.boot();
      return postgres;
    } catch (RuntimeException e) {
      postgres.closeQuietly();
      throw e;
    }
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE} of the configured database. */
  public String jdbcUrl() {
    return jdbcUrl(config.database);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public String database() {
    return config.database;
  }

  /** The login role that owns the database and every database made by {@link #createDatabase}. */
  public String username() {
    return config.username;
  }

  public String password() {
    return config.password;
  }

  public int port() {
    return port;
  }

  public String superuserPassword() {
    return superuserPassword;
  }

  /** The cluster's own directory, deleted on {@link #close()}. */
  public Path directory() {
    return cluster.base();
  }

  /**
   * Creates another database owned by {@link #username()}, for services that each own one.
   *
   * @return its JDBC URL
   */
  public String createDatabase(String name) {
    requireName("database", name);
    if (closed.get()) {
      throw new IllegalStateException("cluster is closed");
    }
    sql("CREATE DATABASE " + quote(name) + " OWNER " + quote(config.username));
    return jdbcUrl(name);
  }

  /** Stops the server (fast shutdown) and deletes the cluster directory. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (claimed) {
        pgCtl.stop(true);
      }
    } finally {
      if (watchdog != null) {
        watchdog.stop();
      }
      if (claimed) {
        cluster.delete();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // already shutting down: this is the hook
      }
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("embedded-postgres: clean-up of " + cluster.base() + " failed: " + e.getMessage());
    }
  }

  // ---- start -------------------------------------------------------------------------------

  private void boot() {
    prepareDirectory();
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    watchdog = OrphanWatchdog.watch(cluster, pgCtl.stopCommandAsOwner("immediate"));
    initdb();
    startServer();
    createRoleAndDatabase();
  }

  private void prepareDirectory() {
    Path base = cluster.base();
    try {
      if (Files.exists(base) && !isEmptyDirectory(base)) {
        if (!cluster.isMarked()) {
          throw new EmbeddedPostgresException(
              base + " exists and was not made by embedded-postgres; refusing to use or delete it");
        }
        if (cluster.ownerAlive()) {
          throw new EmbeddedPostgresException(
              base + " is in use by the running process " + cluster.ownerPid().getAsLong());
        }
        pgCtl.stop(false);
        cluster.delete();
      }
      Files.createDirectories(base);
      Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
      cluster.claim();
      claimed = true;
      Files.createDirectory(cluster.data());
      Files.setPosixFilePermissions(cluster.data(), PosixFilePermissions.fromString("rwx------"));
      Files.createFile(cluster.log());
      owner.handOver(base, cluster.data(), cluster.log());
      owner.checkCanWrite(cluster.data());
    } catch (IOException e) {
      throw new EmbeddedPostgresException("could not prepare " + base, e);
    }
  }

  private void initdb() {
    Path passwordFile = cluster.base().resolve("superuser.pw");
    try {
      Files.writeString(passwordFile, superuserPassword + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
      owner.handOver(passwordFile);
      owner.runChecked(
          INITDB_TIMEOUT,
          cluster.base(),
          ENVIRONMENT,
          List.of(
              binaries.program("initdb").toString(),
              "-D", cluster.data().toString(),
              "-U", SUPERUSER,
              "-A", "trust",
              "-E", "UTF8",
              "--locale=C",
              "--no-sync",
              "--pwfile=" + passwordFile));
    } catch (IOException e) {
      throw new EmbeddedPostgresException("could not write the superuser password file", e);
    } finally {
      try {
        Files.deleteIfExists(passwordFile);
      } catch (IOException e) {
        // deleted with the cluster
      }
    }
    String socketDirectory = cluster.data().toString();
    List<String> settings = new ArrayList<>();
    settings.add("");
    settings.add("# embedded-postgres: throwaway cluster, loopback only, durability off for speed");
    settings.add("listen_addresses = '127.0.0.1'");
    settings.add(
        "unix_socket_directories = '"
            + (socketDirectory.length() <= MAX_SOCKET_DIRECTORY_LENGTH ? socketDirectory.replace("'", "''") : "")
            + "'");
    settings.add("fsync = off");
    settings.add("synchronous_commit = off");
    settings.add("full_page_writes = off");
    appendSettings(settings);
  }

  private void startServer() {
    for (int attempt = 1; ; attempt++) {
      port = config.port == 0 ? FreeTcpPort.find() : config.port;
      appendSettings(List.of("port = " + port));
      ClusterOwner.Result result = pgCtl.start();
      if (result.exitCode() == 0) {
        return;
      }
      String tail = cluster.logTail(40);
      boolean portTaken = tail.contains("could not bind") || tail.contains("Address already in use");
      if (config.port == 0 && portTaken && attempt < PORT_ATTEMPTS) {
        continue;
      }
      throw new EmbeddedPostgresException(
          "PostgreSQL did not start on 127.0.0.1:"
              + port
              + " in "
              + cluster.data()
              + (result.output().isBlank() ? "" : "\npg_ctl: " + result.output().strip())
              + "\n--- last lines of "
              + cluster.log()
              + " ---\n"
              + tail);
    }
  }

  private void createRoleAndDatabase() {
    if (config.username.equals(SUPERUSER)) {
      sql("ALTER ROLE " + quote(SUPERUSER) + " PASSWORD " + literal(config.password));
    } else {
      sql("CREATE ROLE " + quote(config.username) + " LOGIN PASSWORD " + literal(config.password));
    }
    if (!config.database.equals("postgres")) {
      sql("CREATE DATABASE " + quote(config.database) + " OWNER " + quote(config.username));
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private void sql(String statement) {
    owner.runChecked(
        SQL_TIMEOUT,
        cluster.base(),
        ENVIRONMENT,
        List.of(
            binaries.program("psql").toString(),
            "-X", "-w", "-q",
            "-v", "ON_ERROR_STOP=1",
            "-h", "127.0.0.1",
            "-p", Integer.toString(port),
            "-U", SUPERUSER,
            "-d", "postgres",
            "-c", statement));
  }

  private void appendSettings(List<String> lines) {
    try {
      Files.writeString(
          cluster.data().resolve("postgresql.conf"),
          String.join("\n", lines) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new EmbeddedPostgresException("could not configure " + cluster.data(), e);
    }
  }

  private static boolean isEmptyDirectory(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.findAny().isEmpty();
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  static String requireName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " name must be letters, digits and underscores, not starting with a digit, at"
              + " most 63 characters: " + name);
    }
    return name;
  }

  /** Names, password, port and binaries of a cluster; defaults {@code keyline}/{@code keyline}. */
  public static final class Config {

    private String database = "keyline";
    private String username = "keyline";
    private String password = "keyline";
    private int port;
    private Path binDirectory;

    public Config database(String database) {
      this.database = requireName("database", database);
      return this;
    }

    public Config username(String username) {
      this.username = requireName("user", username);
      return this;
    }

    public Config password(String password) {
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("password must not be empty");
      }
      this.password = password;
      return this;
    }

    /** 0 (the default) picks a free port. */
    public Config port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** The directory of initdb and pg_ctl; default: {@code PG_BIN} or the newest installed. */
    public Config binDirectory(Path binDirectory) {
      this.binDirectory = binDirectory;
      return this;
    }

    Config copy() {
      Config copy = new Config();
      copy.database = database;
      copy.username = username;
      copy.password = password;
      copy.port = port;
      copy.binDirectory = binDirectory;
      return copy;
    }
  }
}
