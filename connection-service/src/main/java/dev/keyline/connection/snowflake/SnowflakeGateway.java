package dev.keyline.connection.snowflake;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.keyline.common.tracing.Spans;
import dev.keyline.common.work.BoundedWork;
import dev.keyline.common.work.SingleFlight;
import dev.keyline.common.work.WorkRejectedException;
import dev.keyline.connection.config.ConnectionServiceConfig;
import dev.keyline.connection.work.ConnectionWork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.runtime.StartupEvent;

/**
 * The only class that touches {@code java.sql} and the Snowflake driver.
 *
 * <p>
 * Every operation opens a fresh JDBC connection and closes it afterwards, except key-admin operations
 * ({@link #withKeyAdminSession}): those reuse an idle session of the same admin connection, row and
 * key for a short while ({@link KeyAdminSessions}), and a reused session found dead (390111/390114,
 * closed) on its first statement is replaced by one fresh login. A session used to prove that a key
 * works is always a fresh login. The driver is given the parsed {@code PrivateKey} object, never a
 * key file.
 *
 * <p>
 * Sessions run on the bounded {@code snowflake} pool ({@link ConnectionWork}): when it and its queue
 * are full, the caller gets 503 with Retry-After at once instead of queueing without end.
 *
 * <p>
 * Why a deadline of our own, and why it cancels: driver 4.4.1 ignores {@code networkTimeout}/{@code
 * socketTimeout} while waiting for a slow server's answer (measured against the emulator), so the
 * caller stops waiting at {@code timeout + 1.5 s} and the attempt is stopped, not left running: the
 * pool's virtual thread is interrupted, which closes the socket it is blocked on (JDK virtual-thread
 * socket semantics), and an open JDBC connection is aborted. The pool slot is free again at once.
 *
 * <p>
 * {@link #shared} lets concurrent callers of one operation on one connection share one session.
 */
@ApplicationScoped
public class SnowflakeGateway {

    private static final Logger LOG = Logger.getLogger(SnowflakeGateway.class);
    private static final long DEADLINE_GRACE_MILLIS = 1500;
    private static final int MAX_MESSAGE = 400;

    /**
     * What a shared operation's result depends on: the connection, its row and credential versions
     * (any change of settings or key makes a new key), and the operation.
     */
    public record SharedKey(UUID connection, long rowVersion, int credentialVersion, String operation) {
    }

    @Inject
    ConnectionServiceConfig config;

    @Inject
    ConnectionWork work;

    @Inject
    MeterRegistry registry;

    private final SingleFlight<SharedKey> flights = new SingleFlight<>();
    /** Runs Connection.abort's clean-up and idle sessions' logouts; both are short. */
    private ExecutorService aborts;
    private KeyAdminSessions<Connection> adminSessions;
    private ScheduledExecutorService adminSweep;
    private Counter adminReused;
    private Counter adminFresh;
    private Counter adminStale;

    /** One unit of work on a live session. */
    @FunctionalInterface
    public interface Work<T> {
        T run(SnowflakeSession session);
    }

    @PostConstruct
    void init() {
        aborts = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("snowflake-abort-", 0).factory());
        ConnectionServiceConfig.AdminSessions kept = config.snowflake().adminSessions();
        adminSessions = new KeyAdminSessions<>(kept.maxIdle(), kept.maxIdleTotal(), kept.idleTime(), aborts,
                System::nanoTime);
        String name = "keyline.snowflake.admin.sessions";
        String description = "Key-admin operations by the session they ran on: reused (kept idle), fresh (a login), "
                + "stale (a reused session found dead, replaced by a fresh login)";
        adminReused = Counter.builder(name).description(description).tag("outcome", "reused").register(registry);
        adminFresh = Counter.builder(name).description(description).tag("outcome", "fresh").register(registry);
        adminStale = Counter.builder(name).description(description).tag("outcome", "stale").register(registry);
        Gauge.builder("keyline.snowflake.admin.sessions.idle", adminSessions, KeyAdminSessions::idle)
                .description("Logged-in key-admin sessions kept idle for reuse").register(registry);
        if (adminSessions.enabled()) {
            long every = Math.max(1000, kept.idleTime().toMillis() / 2);
            adminSweep = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofVirtual().name("snowflake-admin-sweep-", 0).factory());
            adminSweep.scheduleWithFixedDelay(adminSessions::sweep, every, every, TimeUnit.MILLISECONDS);
        }
    }

    void warmUp(@Observes StartupEvent event) {
        if (config.snowflake().warmUp()) {
            // Loading and initialising the driver costs ~0.4 s of CPU. Started at once it competed for the
            // cores with the rest of start-up (readiness came later: bench/README.md); after the delay
            // the service is ready and idle, and the first test does not pay for it.
            long delay = config.snowflake().warmUpDelay().toMillis();
            aborts.execute(() -> {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    return; // shutting down
                }
                try {
                    driver().acceptsURL("jdbc:snowflake://warm-up.invalid/");
                } catch (SQLException | RuntimeException | LinkageError e) {
                    LOG.debugf("Snowflake driver warm-up failed: %s", e.getClass().getName());
                }
            });
        }
    }

    @PreDestroy
    void shutdown() {
        if (adminSweep != null) {
            adminSweep.shutdownNow();
        }
        // Log the kept sessions out (each a short request), together and for at most a few seconds.
        List<Connection> idle = adminSessions.drainAll();
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Connection connection : idle) {
            closing.add(CompletableFuture.runAsync(() -> KeyAdminSessions.close(connection), aborts));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("Not every idle key-admin session was logged out at shutdown: %s", e.getClass().getName());
        }
        aborts.shutdownNow();
    }

    /**
     * As {@link #withSession}, for key-admin operations (DESC USER, ALTER USER SET/UNSET key slots):
     * runs on an idle session kept under {@code key} when there is one, else logs in; a session whose
     * work succeeded is kept for the next operation, any other is closed. A reused session that turns
     * out dead on its first statement (expired, ended, closed: {@link #sessionGone}) is closed and the
     * work runs once more on a fresh login, within the same deadline. Only the first statement: once
     * one has run, the session was alive, and a later statement's effect is unknown, so the work is
     * not repeated.
     */
    public <T> T withKeyAdminSession(KeyAdminSessions.Key key, SnowflakeLogin login, Work<T> work) {
        return attempt(login, (open, answer) -> runKeyAdmin(key, login, work, open, answer));
    }

    /** Closes the kept sessions of a connection that was deleted or changed. */
    public void forgetKeyAdminSessions(UUID connection) {
        adminSessions.forget(connection);
    }

    /** Idle key-admin sessions kept now (tests, diagnostics). */
    public int idleKeyAdminSessions() {
        return adminSessions.idle();
    }

    /**
     * As {@link #withSession}, but a caller that comes while another caller's operation with the same
     * key is running waits for that one's result instead of opening a session of its own.
     */
    public <T> T shared(SharedKey key, SnowflakeLogin login, Work<T> work) {
        return flights.run(key, () -> withSession(login, work));
    }

    /** Callers waiting for a shared operation another caller started (tests, diagnostics). */
    public int sharedWaiting() {
        return flights.waiting();
    }

    /**
     * Logs in, runs {@code work}, and closes the session.
     *
     * @throws SnowflakeFailure classified; its message never contains key material
     * @throws dev.keyline.common.work.WorkRejectedException when the session pool is full (503)
     */
    public <T> T withSession(SnowflakeLogin login, Work<T> work) {
        return attempt(login, (open, answer) -> run(login, work, open, answer, null));
    }

    /** What runs on the session pool: logs in (or borrows), runs the work, completes {@code answer}. */
    @FunctionalInterface
    private interface Attempt<T> {
        T run(AtomicReference<Connection> open, CompletableFuture<T> answer);
    }

    private <T> T attempt(SnowflakeLogin login, Attempt<T> attempt) {
        AtomicReference<Connection> open = new AtomicReference<>();
        // Completed when the work's result is there, before the session is closed: the logout
        // request that closing sends is not on the caller's clock (it still holds the pool slot).
        CompletableFuture<T> answer = new CompletableFuture<>();
        BoundedWork pool = this.work.snowflakePool();
        AtomicBoolean started = new AtomicBoolean();
        FutureTask<T> task = pool.submit(() -> {
            started.set(true);
            try {
                return attempt.run(open, answer);
            } catch (Throwable t) {
                answer.completeExceptionally(t);
                throw t;
            }
        });
        long deadline = login.timeout().toMillis() + DEADLINE_GRACE_MILLIS;
        try {
            return answer.get(deadline, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop(pool, task, open);
            if (!started.get()) {
                // Never got a session slot: the local pool was full the whole time, Snowflake was not
                // even asked, so the answer must not blame it (503 busy with Retry-After, not 504).
                pool.countRejected();
                throw new WorkRejectedException(pool.name(), "Snowflake sessions: every session stayed busy for "
                        + deadline + " ms and this request's Snowflake operation was never started",
                        this.work.snowflakePool().retryAfterSeconds());
            }
            throw new SnowflakeFailure(SnowflakeFailure.Kind.TIMEOUT, null, null,
                    "No answer from " + login.endpoint().url() + " within " + login.timeout().toSeconds() + " s");
        } catch (InterruptedException e) {
            stop(pool, task, open);
            Thread.currentThread().interrupt();
            throw new SnowflakeFailure(SnowflakeFailure.Kind.TIMEOUT, null, null, "Interrupted while waiting for Snowflake");
        } catch (CancellationException e) {
            throw new SnowflakeFailure(SnowflakeFailure.Kind.TIMEOUT, null, null, "The Snowflake operation was cancelled");
        } catch (ExecutionException e) {
            throw BoundedWork.unwrap(e);
        }
    }

    /**
     * Stops an attempt past its deadline: a queued one is dropped; a running one's virtual thread is
     * interrupted (closing the socket it waits on) and its JDBC connection, if one is open, aborted.
     */
    private void stop(BoundedWork pool, FutureTask<?> task, AtomicReference<Connection> open) {
        pool.cancel(task);
        Connection connection = open.getAndSet(null);
        if (connection != null) {
            try {
                connection.abort(aborts);
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("Aborting a Snowflake session failed: %s", e.getClass().getName());
            }
        }
    }

    private <T> T runKeyAdmin(KeyAdminSessions.Key key, SnowflakeLogin login, Work<T> work,
            AtomicReference<Connection> open, CompletableFuture<T> answer) {
        Connection idle = adminSessions.take(key);
        if (idle != null) {
            adminReused.increment();
            JdbcSession session = new JdbcSession(idle, login);
            open.set(idle);
            boolean done = false;
            boolean gone = false;
            try {
                T result = work.run(session);
                done = true;
                // Kept before the answer (an in-memory step): the caller's next operation finds it.
                release(idle, open, c -> adminSessions.put(key, c));
                answer.complete(result);
                return result;
            } catch (UncheckedSqlException e) {
                if (session.completed > 0 || !sessionGone(e.sql) || Thread.currentThread().isInterrupted()) {
                    throw classify(e.sql, login);
                }
                gone = true;
                adminStale.increment();
                LOG.debugf("A kept key-admin session of %s/%s was gone (code %d); logging in again", login.account(),
                        login.user(), e.sql.getErrorCode());
            } catch (DriverRuntimeFailure e) {
                throw e.failure;
            } finally {
                // A dead session's logout is not waited for: the fresh login goes first.
                release(idle, open, done ? c -> adminSessions.put(key, c)
                        : gone ? c -> aborts.execute(() -> KeyAdminSessions.close(c)) : null);
            }
        }
        adminFresh.increment();
        return run(login, work, open, answer, adminSessions.enabled() ? c -> adminSessions.put(key, c) : null);
    }

    /**
     * Whether a reused session's failure says the session itself is gone (not the statement): ended
     * or unknown (390111), token expired beyond renewal (390112-390114), closed by the driver
     * (200052, SQLState class 08), or a broken transport that was not a timeout.
     */
    static boolean sessionGone(SQLException e) {
        int vendor = e.getErrorCode();
        if (vendor >= 390111 && vendor <= 390114 || vendor == 200052) {
            return true;
        }
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            return true;
        }
        return vendor == 200015 && !hasCause(e, SocketTimeoutException.class);
    }

    /**
     * Hands a session over to {@code keep} (after successful work) or closes it, unless {@link #stop}
     * has taken it already (it aborts it) or it was released before; at most once per session.
     */
    private static void release(Connection connection, AtomicReference<Connection> open, Consumer<Connection> keep) {
        if (connection == null || open.getAndSet(null) == null) {
            return;
        }
        if (keep != null) {
            keep.accept(connection);
            return;
        }
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Closing a Snowflake session failed: %s", e.getClass().getName());
        }
    }

    /** Logs in and runs {@code work}; afterwards the session goes to {@code keep} if given and the work succeeded, else is closed. */
    private <T> T run(SnowflakeLogin login, Work<T> work, AtomicReference<Connection> open, CompletableFuture<T> answer,
            Consumer<Connection> keep) {
        Connection connection = null;
        boolean done = false;
        try {
            connection = connect(login);
            open.set(connection);
            if (Thread.currentThread().isInterrupted()) {
                // The deadline passed while the login completed: nobody waits for this session.
                throw new SnowflakeFailure(SnowflakeFailure.Kind.TIMEOUT, null, null, "Cancelled at the deadline");
            }
            T result = work.run(new JdbcSession(connection, login));
            done = true;
            if (keep != null) {
                // Kept before the answer (an in-memory step): the caller's next operation finds it.
                release(connection, open, keep);
            }
            answer.complete(result);
            return result;
        } catch (UncheckedSqlException e) {
            throw classify(e.sql, login);
        } catch (DriverRuntimeFailure e) {
            throw e.failure;
        } finally {
            // The caller has its answer already: closing (a logout request) is not on its clock.
            release(connection, open, done ? keep : null);
        }
    }

    private static Connection connect(SnowflakeLogin login) {
        return Spans.in("snowflake login", SpanKind.CLIENT, new String[] { "db.system", "snowflake",
                "keyline.snowflake.account", login.account(), "keyline.snowflake.user", login.user() },
                () -> connectUntraced(login));
    }

    private static Connection connectUntraced(SnowflakeLogin login) {
        Connection connection;
        try {
            connection = driver().connect(login.endpoint().jdbcUrl(), properties(login));
        } catch (SQLException e) {
            throw new UncheckedSqlException(e);
        } catch (RuntimeException e) {
            throw DriverRuntimeFailure.of(e);
        }
        if (connection == null) {
            throw new DriverRuntimeFailure(new SnowflakeFailure(SnowflakeFailure.Kind.OTHER, null, null,
                    "The Snowflake driver does not accept " + login.endpoint().url()));
        }
        return connection;
    }

    private static Driver driver() {
        return net.snowflake.client.api.driver.SnowflakeDriver.INSTANCE;
    }

    /** The driver properties the wire protocol notes prescribe; the key goes in as an object. */
    static Properties properties(SnowflakeLogin login) {
        Properties p = new Properties();
        p.put("account", login.account());
        p.put("user", login.user());
        p.put("authenticator", "SNOWFLAKE_JWT");
        p.put("privateKey", login.privateKey());
        // Otherwise the driver probes cloud metadata addresses to find out where it runs.
        p.put("disablePlatformDetection", "true");
        long seconds = Math.max(1, login.timeout().toSeconds());
        p.put("loginTimeout", Long.toString(seconds));
        p.put("networkTimeout", Long.toString(seconds * 1000));
        p.put("queryTimeout", Long.toString(seconds));
        // The statement timeout goes to Snowflake with each statement (STATEMENT_TIMEOUT_IN_SECONDS)
        // instead of a client-side timer: the driver otherwise starts a thread pool of its own for
        // every statement (measured: ~7 ms more per login + SELECT under load, bench/README.md). A
        // statement that hangs is still stopped at this class's own deadline.
        p.put("IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT", "true");
        putIfPresent(p, "role", login.role());
        putIfPresent(p, "warehouse", login.warehouse());
        putIfPresent(p, "db", login.database());
        putIfPresent(p, "schema", login.schema());
        return p;
    }

    private static void putIfPresent(Properties p, String key, String value) {
        if (value != null && !value.isBlank()) {
            p.put(key, value);
        }
    }

    /** Maps the driver's exception onto the failure classes the API tells apart. */
    static SnowflakeFailure classify(SQLException e, SnowflakeLogin login) {
        int vendor = e.getErrorCode();
        String code = vendor == 0 ? null : String.format("%06d", vendor);
        String message = firstLine(e.getMessage());
        SnowflakeFailure.Kind kind = switch (vendor) {
            case 390144 -> SnowflakeFailure.Kind.JWT_REJECTED;
            case 390189 -> SnowflakeFailure.Kind.ROLE_NOT_GRANTED; // "Role '…' specified in the connect string is not granted to this user."
            case 3001 -> SnowflakeFailure.Kind.INSUFFICIENT_PRIVILEGES;
            case 2003, 2043 -> SnowflakeFailure.Kind.OBJECT_NOT_FOUND;
            case 200005 -> SnowflakeFailure.Kind.TIMEOUT; // query cancelled at its timeout
            case 200015 -> hasCause(e, SocketTimeoutException.class) ? SnowflakeFailure.Kind.TIMEOUT
                    : SnowflakeFailure.Kind.UNREACHABLE;
            default -> hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class)
                    || hasCause(e, NoRouteToHostException.class) ? SnowflakeFailure.Kind.UNREACHABLE
                            : "42501".equals(e.getSQLState()) ? SnowflakeFailure.Kind.INSUFFICIENT_PRIVILEGES
                                    : SnowflakeFailure.Kind.OTHER;
        };
        if (kind == SnowflakeFailure.Kind.UNREACHABLE) {
            message = "Cannot reach Snowflake at " + login.endpoint().url() + ": " + unreachableReason(e, message);
        }
        // One line per failed operation, with what the driver's own SEVERE lines lacked (which account, user and
        // endpoint; the class of failure): a refusal is the connection's configuration (INFO: the caller gets it
        // as a 4xx), the rest is Snowflake or the way to it (WARN). The driver's lines are off (application.properties).
        LOG.logf(userFixable(kind) ? Logger.Level.INFO : Logger.Level.WARN,
                "Snowflake failed for user %s of account %s at %s: %s (code %s, SQLState %s): %s", login.user(),
                login.account(), login.endpoint().url(), kind, code, e.getSQLState(), message);
        return new SnowflakeFailure(kind, code, e.getSQLState(), message);
    }

    private static boolean userFixable(SnowflakeFailure.Kind kind) {
        return switch (kind) {
            case JWT_REJECTED, ROLE_NOT_GRANTED, INSUFFICIENT_PRIVILEGES, OBJECT_NOT_FOUND -> true;
            case TIMEOUT, UNREACHABLE, OTHER -> false;
        };
    }

    private static String unreachableReason(SQLException e, String message) {
        if (hasCause(e, UnknownHostException.class)) {
            return "the host name does not resolve";
        }
        if (hasCause(e, ConnectException.class)) {
            return "connection refused";
        }
        if (hasCause(e, NoRouteToHostException.class)) {
            return "no route to host";
        }
        return message;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String flat = message.replace("\r", "").replace('\n', ' ').strip();
        return flat.length() > MAX_MESSAGE ? flat.substring(0, MAX_MESSAGE) + "…" : flat;
    }

    /** Carries an SQLException out of the session methods (they are not declared to throw it). */
    private static final class UncheckedSqlException extends RuntimeException {
        final SQLException sql;

        UncheckedSqlException(SQLException sql) {
            super(null, null, false, false);
            this.sql = sql;
        }
    }

    /**
     * The driver (its shaded libraries) threw something unchecked; their messages may quote input, so
     * only the type is kept.
     */
    private static final class DriverRuntimeFailure extends RuntimeException {
        final SnowflakeFailure failure;

        DriverRuntimeFailure(SnowflakeFailure failure) {
            super(null, null, false, false);
            this.failure = failure;
        }

        static DriverRuntimeFailure of(RuntimeException e) {
            LOG.warnf("Snowflake driver failed unexpectedly: %s", e.getClass().getName());
            return new DriverRuntimeFailure(new SnowflakeFailure(SnowflakeFailure.Kind.OTHER, null, null,
                    "The Snowflake driver failed unexpectedly (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /** A session on one JDBC connection; every statement is closed right after use. */
    private static final class JdbcSession implements SnowflakeSession {

        private final Connection connection;
        private final int queryTimeoutSeconds;
        /** Statements that completed on this session (a reused session is retried only before the first). */
        int completed;

        JdbcSession(Connection connection, SnowflakeLogin login) {
            this.connection = connection;
            this.queryTimeoutSeconds = (int) Math.max(1, login.timeout().toSeconds());
        }

        @Override
        public SessionIdentity identity() {
            List<List<String>> rows = query("SELECT CURRENT_USER(), CURRENT_ROLE(), CURRENT_ACCOUNT(), CURRENT_WAREHOUSE(),"
                    + " CURRENT_DATABASE(), CURRENT_SCHEMA()", 1, 2, 3, 4, 5, 6);
            List<String> row = rows.isEmpty() ? List.of() : rows.get(0);
            return new SessionIdentity(at(row, 0), at(row, 1), at(row, 2), at(row, 3), at(row, 4), at(row, 5));
        }

        @Override
        public Map<String, String> describeUser(String user) {
            Map<String, String> properties = new LinkedHashMap<>();
            for (List<String> row : query("DESC USER " + SnowflakeIdentifiers.user(user), 1, 2)) {
                properties.put(at(row, 0), at(row, 1));
            }
            return properties;
        }

        @Override
        public void setPublicKey(String user, int slot, String base64SpkiDer) {
            if (!base64SpkiDer.matches("[A-Za-z0-9+/=]+")) {
                throw new IllegalArgumentException("public key must be base64 of the SPKI DER");
            }
            execute("ALTER USER " + SnowflakeIdentifiers.user(user) + " SET " + property(slot) + "='" + base64SpkiDer + "'");
        }

        @Override
        public void unsetPublicKey(String user, int slot) {
            execute("ALTER USER " + SnowflakeIdentifiers.user(user) + " UNSET " + property(slot));
        }

        @Override
        public List<String> databases() {
            return query("SHOW DATABASES", "name");
        }

        @Override
        public List<String> schemas(String database) {
            return query("SHOW SCHEMAS IN DATABASE " + SnowflakeIdentifiers.quote(database), "name");
        }

        private static String property(int slot) {
            return switch (slot) {
                case 1 -> "RSA_PUBLIC_KEY";
                case 2 -> "RSA_PUBLIC_KEY_2";
                default -> throw new IllegalArgumentException("slot must be 1 or 2");
            };
        }

        /**
         * The span names the statement's kind only ("ALTER USER", "DESC USER"): its text may hold a
         * public key today and anything tomorrow, so it never becomes an attribute.
         */
        private static String[] statement(String sql) {
            String[] words = sql.trim().split("\\s+", 3);
            String operation = words.length > 1 ? words[0] + " " + words[1].replaceAll("[^A-Za-z_]", "") : words[0];
            return new String[] { "db.system", "snowflake", "db.operation", operation };
        }

        private void execute(String sql) {
            Spans.run("snowflake statement", SpanKind.CLIENT, statement(sql), () -> executeUntraced(sql));
        }

        private void executeUntraced(String sql) {
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(queryTimeoutSeconds);
                statement.execute(sql);
                completed++;
            } catch (SQLException e) {
                throw new UncheckedSqlException(e);
            } catch (RuntimeException e) {
                throw DriverRuntimeFailure.of(e);
            }
        }

        private List<List<String>> query(String sql, int... columns) {
            return Spans.in("snowflake statement", SpanKind.CLIENT, statement(sql), () -> queryUntraced(sql, columns));
        }

        private List<List<String>> queryUntraced(String sql, int... columns) {
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(queryTimeoutSeconds);
                try (ResultSet rs = statement.executeQuery(sql)) {
                    List<List<String>> rows = new ArrayList<>();
                    while (rs.next()) {
                        List<String> row = new ArrayList<>(columns.length);
                        for (int column : columns) {
                            row.add(rs.getString(column));
                        }
                        rows.add(row);
                    }
                    completed++;
                    return rows;
                }
            } catch (SQLException e) {
                throw new UncheckedSqlException(e);
            } catch (RuntimeException e) {
                throw DriverRuntimeFailure.of(e);
            }
        }

        private List<String> query(String sql, String column) {
            return Spans.in("snowflake statement", SpanKind.CLIENT, statement(sql), () -> queryUntraced(sql, column));
        }

        private List<String> queryUntraced(String sql, String column) {
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(queryTimeoutSeconds);
                try (ResultSet rs = statement.executeQuery(sql)) {
                    List<String> values = new ArrayList<>();
                    while (rs.next()) {
                        values.add(rs.getString(column));
                    }
                    completed++;
                    return values;
                }
            } catch (SQLException e) {
                throw new UncheckedSqlException(e);
            } catch (RuntimeException e) {
                throw DriverRuntimeFailure.of(e);
            }
        }

        private static String at(List<String> row, int index) {
            return index < row.size() ? row.get(index) : null;
        }
    }
}
