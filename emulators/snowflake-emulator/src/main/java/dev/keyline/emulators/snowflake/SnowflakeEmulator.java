package dev.keyline.emulators.snowflake;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A strict, in-process stand-in for Snowflake as the real JDBC driver ({@code
 * net.snowflake:snowflake-jdbc}) sees it with key-pair authentication: login with a JWT, session
 * tokens and their renewal, and the statements the services run to manage a user's two key slots.
 *
 * <p>Why strict: an emulator that accepts anything proves nothing. Every login JWT is verified
 * against the user's RSA_PUBLIC_KEY / RSA_PUBLIC_KEY_2 (fingerprint, signature, times); key
 * changes need OWNERSHIP of the user or MODIFY PROGRAMMATIC AUTHENTICATION METHODS; unknown users,
 * ungranted roles and unsupported SQL fail with Snowflake's error codes and messages.
 *
 * <pre>
 * try (SnowflakeEmulator snowflake = SnowflakeEmulator.start()) {
 *   snowflake.account("ACME").user("SVC_A").role("LOADER").rsaPublicKey(keyPair.getPublic());
 *   Properties props = new Properties();
 *   props.put("account", "ACME"); props.put("user", "SVC_A");
 *   props.put("authenticator", "SNOWFLAKE_JWT"); props.put("privateKey", keyPair.getPrivate());
 *   props.put("disablePlatformDetection", "true");
 *   DriverManager.getConnection(snowflake.jdbcUrl(), props);
 * }
 * </pre>
 *
 * <p>Not emulated: passwords and other authenticators, tables and real queries, CREATE/GRANT
 * statements (seed instead), bind variables, Arrow results, multi-statement requests, async
 * queries. They fail loudly (Snowflake error codes) rather than silently differ.
 */
public final class SnowflakeEmulator implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final boolean https;
  private final FaultInjector faults = new FaultInjector();
  private final Backend backend;

  private SnowflakeEmulator(Config config) throws IOException {
    this.backend =
        new Backend(
            new Backend.Settings(
                config.sessionTokenValidity,
                config.masterTokenValidity,
                config.clock),
            faults);
    for (String seed : config.seeds) {
      Seed.apply(backend, Seed.read(seed));
    }
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port);
    if (config.sslContext != null) {
      HttpsServer httpsServer = HttpsServer.create(address, 64);
      httpsServer.setHttpsConfigurator(new HttpsConfigurator(config.sslContext));
      this.server = httpsServer;
      this.https = true;
    } else {
      this.server = HttpServer.create(address, 64);
      this.https = false;
    }
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", new SnowflakeHttpHandler(backend, faults, new AdminEndpoints(this)));
    server.start();
  }

  /** Starts on a free port over plain HTTP, with no accounts. */
  public static SnowflakeEmulator start() {
    return start(new Config());
  }

  /**
   * @throws IllegalArgumentException for a bad seed
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static SnowflakeEmulator start(Config config) {
    try {
      return new SnowflakeEmulator(config);
    } catch (IOException e) {
      throw new UncheckedIOException("snowflake-emulator could not listen on port " + config.port, e);
    }
  }

  // ---- addresses ---------------------------------------------------------------------------

  /** For instance {@code http://127.0.0.1:18300}; no trailing slash. */
  public String url() {
    return (https ? "https" : "http") + "://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * {@code jdbc:snowflake://127.0.0.1:<port>/?ssl=off} for plain HTTP, without {@code ssl=off}
   * when serving HTTPS. Always pass the {@code account} property too: with an IP host the driver
   * would otherwise take "127" as the account.
   */
  public String jdbcUrl() {
    return "jdbc:snowflake://127.0.0.1:" + port() + "/" + (https ? "" : "?ssl=off");
  }

  // ---- accounts, users, roles --------------------------------------------------------------

  /** The account, created when absent (with the system roles, COMPUTE_WH and two databases). */
  public SnowflakeAccount account(String name) {
    Account account = backend.accountOrCreate(name);
    return new SnowflakeAccount(backend, account.name);
  }

  /** The user of that account; both are created when absent. */
  public SnowflakeUser user(String account, String user) {
    return account(account).user(user);
  }

  /** Merges a seed document (see the README of this module for the format). */
  public void loadSeed(String json) {
    Seed.apply(backend, Seed.read(json));
  }

  public void loadSeed(Path file) {
    try {
      loadSeed(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read seed " + file, e);
    }
  }

  /** The whole state as JSON, in the seed format plus fingerprints and counters. */
  public String stateJson() {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Seed.dump(backend));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the user's two slots hold, as DESC USER would show. */
  public KeySlots keySlots(String account, String user) {
    return backend.locked(() -> backend.user(account, user).keySlots());
  }

  /** Sets slot 1 (RSA_PUBLIC_KEY) or 2 (RSA_PUBLIC_KEY_2) directly, bypassing privileges. */
  public void setKeySlot(String account, String user, int slot, String pemOrBase64) {
    existing(account, user).keySlot(slot, KeySlot.parse(pemOrBase64, backend.now()));
  }

  public void setKeySlot(String account, String user, int slot, PublicKey key) {
    existing(account, user).keySlot(slot, KeySlot.of(key, backend.now()));
  }

  public void unsetKeySlot(String account, String user, int slot) {
    existing(account, user).keySlot(slot, null);
  }

  private SnowflakeUser existing(String account, String user) {
    User found = backend.user(account, user);
    return new SnowflakeUser(backend, backend.account(account).name, found.name);
  }

  // ---- history -----------------------------------------------------------------------------

  /** Successful logins since start or {@link #clearHistory()}. */
  public int loginCount() {
    return backend.successfulLogins();
  }

  /** Every login attempt (the last 10,000), oldest first, with the reason of failures. */
  public List<LoginAttempt> logins() {
    return backend.logins();
  }

  /** Every statement answered (the last 10,000), oldest first. */
  public List<ExecutedStatement> statements() {
    return backend.statements();
  }

  /** Statements whose SQL text contains {@code fragment}, case-insensitively. */
  public List<ExecutedStatement> statements(String fragment) {
    String lower = fragment.toLowerCase(java.util.Locale.ROOT);
    List<ExecutedStatement> matching = new ArrayList<>();
    for (ExecutedStatement statement : statements()) {
      if (statement.sql() != null && statement.sql().toLowerCase(java.util.Locale.ROOT).contains(lower)) {
        matching.add(statement);
      }
    }
    return matching;
  }

  /** Session tokens renewed at /session/token-request. */
  public int tokenRenewalCount() {
    return backend.tokenRenewals();
  }

  /** Sessions logged in and not closed. */
  public int openSessionCount() {
    return backend.openSessions();
  }

  /** Forgets logins, statements and counters (not accounts or sessions). */
  public void clearHistory() {
    backend.clearHistory();
  }

  // ---- faults ------------------------------------------------------------------------------

  /** Delays every driver request by {@code latency}; {@link Duration#ZERO} turns it off. */
  public void setLatency(Duration latency) {
    faults.latency(Objects.requireNonNull(latency));
  }

  /** The next login fails with 390144 "JWT token is invalid", whatever it presents. */
  public void failNextLogin() {
    failNextLogin("390144");
  }

  /**
   * The next login fails with this code (390144, 390189 and 390100 get Snowflake's messages).
   * Calls queue up.
   */
  public void failNextLogin(String code) {
    faults.failNextLogin(code);
  }

  /**
   * The next ALTER USER fails with this code before anything is checked or changed: 003001
   * (insufficient privileges), 000603 (internal error), 002003, or any other six-digit code.
   * Calls queue up.
   */
  public void failNextAlter(String code) {
    faults.failNextAlter(code);
  }

  /**
   * The next login of {@code user} (its LOGIN_NAME, ignoring case) fails with this code; other
   * users' logins are unaffected. Calls queue up.
   */
  public void failNextLoginOf(String user, String code) {
    faults.failNextLoginOf(user, code);
  }

  /**
   * The next statement whose SQL text contains every fragment (ignoring case) fails with this code
   * before it changes anything, e.g. {@code failNextStatement("000603", "DESC USER", "SVC_A")}.
   * Calls queue up; each is consumed by the first statement it matches.
   */
  public void failNextStatement(String code, String... fragments) {
    faults.failNextStatement(code, List.of(fragments));
  }

  /**
   * Holds the next driver request whose description contains every fragment (ignoring case) until
   * the returned hold is released: the SQL text for statements, {@code LOGIN <account> <user>} for
   * logins. See {@link RequestHold}.
   */
  public RequestHold holdNext(String... fragments) {
    return faults.holdNext(List.of(fragments));
  }

  /** The next {@code count} driver requests answer HTTP 503 (the driver retries them). */
  public void failNextRequests(int count) {
    failNextRequests(count, 503);
  }

  public void failNextRequests(int count, int status) {
    faults.failNextRequests(count, status);
  }

  /**
   * Expires the session token of every open session: the next statement gets 390112, the driver
   * renews the token at /session/token-request and retries.
   *
   * @return how many sessions were affected
   */
  public int expireSessionTokens() {
    return backend.expireSessionTokens(s -> true);
  }

  /** As {@link #expireSessionTokens()}, for one user's sessions. */
  public int expireSessionTokens(String account, String user) {
    User target = backend.user(account, user);
    return backend.expireSessionTokens(s -> s.user == target);
  }

  /**
   * Ends the open sessions of one user on the server's side, as Snowflake's {@code
   * SYSTEM$ABORT_SESSION} does: the next statement on such a session gets 390111 "Session no longer
   * exists", which no token renewal cures; the client must log in again.
   *
   * @return how many sessions were ended
   */
  public int endSessions(String account, String user) {
    User target = backend.user(account, user);
    return backend.endSessions(s -> s.user == target);
  }

  /** Removes latency and pending injected failures, and releases every hold. */
  public void clearFaults() {
    faults.clear();
  }

  Backend backend() {
    return backend;
  }

  /** Stops listening and drops all state. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /**
   * What to start. Defaults: a free port, plain HTTP, no accounts, session tokens valid 1 h, master
   * tokens 4 h. The login JWT's time rules are Snowflake's and not configurable (see {@link
   * JwtVerifier}); {@link #clock} moves "now" for them.
   */
  public static final class Config {

    private int port;
    private final List<String> seeds = new ArrayList<>();
    private SSLContext sslContext;
    private Duration sessionTokenValidity = Duration.ofHours(1);
    private Duration masterTokenValidity = Duration.ofHours(4);
    private Clock clock = Clock.systemUTC();

    /** 0 (the default) picks a free port. */
    public Config port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** A seed document to load at start; several are merged in order. */
    public Config seedJson(String json) {
      seeds.add(Objects.requireNonNull(json));
      return this;
    }

    public Config seed(Path file) {
      try {
        return seedJson(Files.readString(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read seed " + file, e);
      }
    }

    /** Serve HTTPS with this context (its key manager holds the server certificate). */
    public Config tls(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext);
      return this;
    }

    public Config sessionTokenValidity(Duration validity) {
      this.sessionTokenValidity = positive(validity);
      return this;
    }

    public Config masterTokenValidity(Duration validity) {
      this.masterTokenValidity = positive(validity);
      return this;
    }

    /** The emulator's clock (JWT times, token expiry, LAST_SET_TIME). */
    public Config clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    private static Duration positive(Duration duration) {
      if (duration == null || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("duration must be positive: " + duration);
      }
      return duration;
    }
  }
}
