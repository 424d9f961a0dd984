package dev.keyline.emulators.postgres;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a throwaway cluster for local runs of services until SIGTERM or SIGINT:
 *
 * <pre>
 * java -jar target/embedded-postgres-*.jar --dir target/local-pg --port 5432 --database a,b,c
 * </pre>
 *
 * Options: {@code --dir} (default {@code target/local-pg}), {@code --port} (default: a free one),
 * {@code --database} (comma-separated, default {@code keyline}; all owned by the user), {@code
 * --username} and {@code --password} (default {@code keyline}).
 *
 * <p>Why the first stdout line is {@code postgres ready <jdbc url>}: scripts wait for it and take
 * the URL from it. One {@code postgres database <jdbc url>} line per further database and a {@code
 * postgres user <name> password <password>} line follow. On exit the cluster is stopped and its
 * directory removed.
 */
public final class EmbeddedPostgresMain {

  private EmbeddedPostgresMain() {}

  public static void main(String[] args) throws InterruptedException {
    try {
      start(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("embedded-postgres: " + e.getMessage());
      System.err.println(
          "usage: embedded-postgres [--dir DIR] [--port N] [--database A,B,...] [--username U]"
              + " [--password P]");
      System.exit(2);
    } catch (EmbeddedPostgresException e) {
      System.err.println("embedded-postgres: " + e.getMessage());
      System.exit(1);
    }
    // The cluster's own shutdown hook stops it and removes the directory.
    new CountDownLatch(1).await();
  }

  /** Parses {@code args}, starts the cluster and its databases, prints the ready lines. */
  static EmbeddedPostgres start(String[] args, PrintStream out) {
    Path dir = Path.of("target", "local-pg");
    EmbeddedPostgres.Config config = new EmbeddedPostgres.Config();
    List<String> databases = new ArrayList<>(List.of("keyline"));
    for (int i = 0; i < args.length; i += 2) {
      String option = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null || value.startsWith("--")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      switch (option) {
        case "--dir" -> dir = Path.of(value);
        case "--port" -> config.port(parsePort(value));
        case "--database" -> {
          databases = new ArrayList<>();
          for (String name : value.split(",")) {
            if (!name.isBlank()) {
              databases.add(EmbeddedPostgres.requireName("database", name.trim()));
            }
          }
          if (databases.isEmpty()) {
            throw new IllegalArgumentException("--database needs at least one name");
          }
        }
        case "--username" -> config.username(value);
        case "--password" -> config.password(value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    config.database(databases.get(0));
    EmbeddedPostgres postgres = EmbeddedPostgres.start(dir, config);
    try {
      List<String> more = new ArrayList<>();
      for (String database : databases.subList(1, databases.size())) {
        more.add(postgres.createDatabase(database));
      }
      out.println("postgres ready " + postgres.jdbcUrl());
      more.forEach(url -> out.println("postgres database " + url));
      out.println("postgres user " + postgres.username() + " password " + postgres.password());
      out.flush();
      return postgres;
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port needs a number, got " + value);
    }
  }
}
