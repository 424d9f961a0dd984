package dev.keyline.rotation.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.audit.AuditRow;
import dev.keyline.common.audit.Outcome;
import dev.keyline.common.jdbc.RowRead;
import dev.keyline.rotation.ResultPage;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunRepository;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.RunStore;

/**
 * Runs, their step log and known keys in PostgreSQL, with plain JDBC so that claiming is one
 * {@code UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING *}: replicas never claim
 * the same run, and a crashed replica's lease simply expires.
 */
@ApplicationScoped
public class JdbcRunStore implements RunRepository {

    /** The readiness check's and the metrics' read of NEEDS_ATTENTION runs waits this long at most. */
    static final int ATTENTION_READ_TIMEOUT_MILLIS = 2000;

    static final String TERMINAL = "('DONE', 'ROLLED_BACK', 'NEEDS_ATTENTION', 'CLOSED')";
    /** Due and claimable: not terminal, due now, not leased (or its lease expired). */
    private static final String CLAIMABLE = "state not in " + TERMINAL
            + " and next_attempt_at <= now() and (lease_until is null or lease_until < now())";
    private static final String COLUMNS = "id, connection_id, policy_id, account, snowflake_user, state, trigger_kind, adopt, "
            + "key_size, grace_period_seconds, max_attempts, attempts, old_fingerprint, old_slot, target_slot, "
            + "new_fingerprint, drain_until, next_attempt_at, last_error_type, last_error_detail, lease_owner, lease_until, "
            + "created_by, created_at, started_at, finished_at, stopped_in, closed_reason, owner";

    @Inject
    DataSource dataSource;

    public JdbcRunStore() {
    }

    public JdbcRunStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void insert(RotationRun r) {
        try (Connection c = dataSource.getConnection()) {
            insert(c, r);
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new ActiveRunExistsException();
            }
            throw new PersistenceException(e);
        }
    }

    /** Inserts on the given connection (the policy claim's transaction); false when a run is already active. */
    boolean insertIfNoneActive(Connection c, RotationRun r) throws SQLException {
        String sql = "insert into rotation_run (" + COLUMNS + ") values (" + "?,".repeat(28) + "?) on conflict do nothing";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindAll(ps, r);
            return ps.executeUpdate() == 1;
        }
    }

    private void insert(Connection c, RotationRun r) throws SQLException {
        String sql = "insert into rotation_run (" + COLUMNS + ") values (" + "?,".repeat(28) + "?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindAll(ps, r);
            ps.executeUpdate();
        }
    }

    private static void bindAll(PreparedStatement ps, RotationRun r) throws SQLException {
        int i = 1;
        ps.setObject(i++, r.id);
        ps.setObject(i++, r.connectionId);
        ps.setObject(i++, r.policyId);
        ps.setString(i++, r.account);
        ps.setString(i++, r.snowflakeUser);
        ps.setString(i++, r.state.name());
        ps.setString(i++, r.trigger);
        ps.setBoolean(i++, r.adopt);
        ps.setInt(i++, r.keySize);
        ps.setLong(i++, r.gracePeriod.toSeconds());
        ps.setInt(i++, r.maxAttempts);
        ps.setInt(i++, r.attempts);
        ps.setString(i++, r.oldFingerprint);
        setInt(ps, i++, r.oldSlot);
        setInt(ps, i++, r.targetSlot);
        ps.setString(i++, r.newFingerprint);
        ps.setObject(i++, ts(r.drainUntil));
        ps.setObject(i++, ts(r.nextAttemptAt));
        ps.setString(i++, r.lastErrorType);
        ps.setString(i++, r.lastErrorDetail);
        ps.setString(i++, r.leaseOwner);
        ps.setObject(i++, ts(r.leaseUntil));
        ps.setString(i++, r.createdBy);
        ps.setObject(i++, ts(r.createdAt));
        ps.setObject(i++, ts(r.startedAt));
        ps.setObject(i++, ts(r.finishedAt));
        ps.setString(i++, r.stoppedIn == null ? null : r.stoppedIn.name());
        ps.setString(i++, r.closedReason);
        ps.setString(i++, r.owner);
    }

    /**
     * The run, its step-log rows and its audit events in one transaction, fenced by the lease: the
     * run's row is updated first, and only where this worker still holds the lease; otherwise the
     * transaction rolls back and nothing of it (no step row, no event) is written. Every save renews
     * the lease.
     */
    @Override
    public void save(RotationRun r, List<StepLog> steps, List<AuditNote> events) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                save(c, r);
                for (StepLog s : steps) {
                    insertStep(c, r.id, s);
                }
                for (AuditNote e : events) {
                    new AuditRow(ACTOR, null, e.action(), "rotation", r.id.toString(), Outcome.valueOf(e.outcome()),
                            e.fingerprints(),
                            "connection " + r.connectionId + (e.detail() == null ? "" : ": " + e.detail())).insert(c);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /**
     * Extends the lease of a run this worker holds, while one of its steps is still running: a step
     * may wait on connection-service longer than one lease. False when another worker holds it now.
     */
    @Override
    public boolean renewLease(UUID id, String owner) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update rotation_run set lease_until = now() + (? * interval '1 millisecond') "
                        + "where id = ? and lease_owner = ?")) {
            ps.setLong(1, leaseMillis);
            ps.setObject(2, id);
            ps.setString(3, owner);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    private static void insertStep(Connection c, UUID runId, StepLog s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into rotation_step (run_id, step, outcome, started_at, finished_at, detail) values (?,?,?,?,?,?)")) {
            ps.setObject(1, runId);
            ps.setString(2, s.step());
            ps.setString(3, s.outcome());
            ps.setObject(4, ts(s.startedAt()));
            ps.setObject(5, ts(s.finishedAt()));
            ps.setString(6, s.detail() == null || s.detail().length() <= 1900 ? s.detail() : s.detail().substring(0, 1900));
            ps.executeUpdate();
        }
    }

    private void save(Connection c, RotationRun r) throws SQLException {
        String sql = "update rotation_run set state=?, attempts=?, old_fingerprint=?, old_slot=?, target_slot=?, "
                + "new_fingerprint=?, drain_until=?, next_attempt_at=?, last_error_type=?, last_error_detail=?, "
                + "started_at=?, finished_at=?, stopped_in=?, lease_until=now() + (? * interval '1 millisecond') "
                + "where id=? and lease_owner is not distinct from ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, r.state.name());
            ps.setInt(i++, r.attempts);
            ps.setString(i++, r.oldFingerprint);
            setInt(ps, i++, r.oldSlot);
            setInt(ps, i++, r.targetSlot);
            ps.setString(i++, r.newFingerprint);
            ps.setObject(i++, ts(r.drainUntil));
            ps.setObject(i++, ts(r.nextAttemptAt));
            ps.setString(i++, r.lastErrorType);
            ps.setString(i++, r.lastErrorDetail);
            ps.setObject(i++, ts(r.startedAt));
            ps.setObject(i++, ts(r.finishedAt));
            ps.setString(i++, r.stoppedIn == null ? null : r.stoppedIn.name());
            ps.setLong(i++, leaseMillis);
            ps.setObject(i++, r.id);
            ps.setString(i++, r.leaseOwner);
            if (ps.executeUpdate() != 1) {
                throw new LeaseLostException(r.id);
            }
        }
    }

    private volatile long leaseMillis = 120_000;

    @Override
    public void leaseDuration(Duration lease) {
        this.leaseMillis = lease.toMillis();
    }

    /**
     * Claims up to {@code limit} due runs for {@code owner}: not terminal, due, and not leased (or
     * whose lease expired because its worker died). Rows another replica is claiming right now are
     * skipped, not waited for.
     */
    @Override
    public List<RotationRun> claimDue(String owner, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String sql = "update rotation_run set lease_owner=?, lease_until=now() + (? * interval '1 millisecond') "
                + "where id in (select id from rotation_run where " + CLAIMABLE
                + " order by next_attempt_at limit ? for update skip locked) returning " + COLUMNS;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            ps.setLong(2, leaseMillis);
            ps.setInt(3, limit);
            List<RotationRun> runs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(map(rs));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /**
     * One statement: {@code due} numbers each owner's claimable runs, oldest first, after the runs
     * this replica already executes for it ({@code held}); the runs numbered within the share are
     * claimed oldest first up to {@code limit}, locked with {@code FOR UPDATE SKIP LOCKED} and checked
     * again there (a row another replica claimed meanwhile is skipped, as in the claim without a
     * share); the rest of the owner's runs stay due. The window function cannot share a query level
     * with {@code FOR UPDATE}, hence the ranking in a CTE of its own. It reads every claimable run
     * (at most one per Snowflake user is active), not only the oldest {@code limit}: the oldest may
     * all be one owner's, which is what starved the others.
     */
    @Override
    public Claim claimDue(String leaseOwner, int limit, int perOwner, Map<String, Integer> held) {
        if (limit <= 0) {
            return new Claim(List.of(), 0);
        }
        if (perOwner <= 0) {
            return new Claim(claimDue(leaseOwner, limit), 0);
        }
        String sql = "with held(held_owner, n) as (select * from unnest(?::varchar[], ?::int[])), "
                + "due as (select id, next_attempt_at, row_number() over (partition by coalesce(owner, '') "
                + "order by next_attempt_at, id) + coalesce(n, 0) as nth from rotation_run "
                + "left join held on held_owner = coalesce(owner, '') where " + CLAIMABLE + "), "
                + "claimed as (update rotation_run set lease_owner=?, lease_until=now() + (? * interval '1 millisecond') "
                + "where id in (select id from rotation_run where id in (select id from due where nth <= ? "
                + "order by next_attempt_at, id limit ?) and " + CLAIMABLE + " for update skip locked) returning " + COLUMNS + ") "
                + "select claimed.*, waiting.n as waiting_for_share from (select count(*) as n from due where nth > ?) waiting "
                + "left join claimed on true";
        List<String> owners = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        held.forEach((owner, n) -> {
            owners.add(owner == null ? "" : owner);
            counts.add(n);
        });
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setArray(i++, c.createArrayOf("varchar", owners.toArray()));
            ps.setArray(i++, c.createArrayOf("int4", counts.toArray()));
            ps.setString(i++, leaseOwner);
            ps.setLong(i++, leaseMillis);
            ps.setInt(i++, perOwner);
            ps.setInt(i++, limit);
            ps.setInt(i++, perOwner);
            List<RotationRun> runs = new ArrayList<>();
            int waiting = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    waiting = rs.getInt("waiting_for_share");
                    if (rs.getObject("id") != null) {
                        runs.add(map(rs));
                    }
                }
            }
            return new Claim(runs, waiting);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    @Override
    public void release(UUID id, String owner) {
        update("update rotation_run set lease_owner=null, lease_until=null where id=? and lease_owner=?", id, owner);
    }

    @Override
    public Optional<RotationRun> find(UUID id) {
        List<RotationRun> l = query("select " + COLUMNS + " from rotation_run where id=?", id);
        return l.stream().findFirst();
    }

    @Override
    public ResultPage<RotationRun> list(RunFilter f, int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        if (f.connectionId() != null) {
            where.append(" and connection_id=?");
            args.add(f.connectionId());
        }
        if (f.state() != null) {
            where.append(" and state=?");
            args.add(f.state().name());
        }
        if (f.since() != null) {
            where.append(" and created_at>=?");
            args.add(ts(f.since()));
        }
        if (f.until() != null) {
            where.append(" and created_at<?");
            args.add(ts(f.until()));
        }
        long total = count("select count(*) from rotation_run" + where, args.toArray());
        List<Object> paged = new ArrayList<>(args);
        paged.add(size);
        paged.add((long) page * size);
        // id breaks ties so that pages never overlap.
        List<RotationRun> items = query("select " + COLUMNS + " from rotation_run" + where
                + " order by created_at desc, id limit ? offset ?", paged.toArray());
        return new ResultPage<>(items, total);
    }

    @Override
    public List<RotationRun> needingAttention() {
        // Read by the readiness check and the metrics: a database that does not answer must make them
        // say so within a probe's timeout, not wait for the socket timeout of every other read (30 s).
        return query(ATTENTION_READ_TIMEOUT_MILLIS, "select " + COLUMNS + " from rotation_run where state='NEEDS_ATTENTION' "
                + "and not exists (select 1 from rotation_run later where later.connection_id = rotation_run.connection_id "
                + "and later.created_at > rotation_run.created_at and later.state = 'DONE') order by created_at desc limit 100");
    }

    @Override
    public List<StepLog> steps(UUID runId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select step, outcome, started_at, finished_at, detail from rotation_step where run_id=? order by id")) {
            ps.setObject(1, runId);
            List<StepLog> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StepLog(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4), rs.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    @Override
    public boolean resume(UUID id, RunState at, Instant now, String owner, StepLog note) {
        return operatorChange(id, note, "update rotation_run set state=?, stopped_in=null, attempts=0, finished_at=null, "
                + "next_attempt_at=?, owner=?, lease_owner=null, lease_until=null where id=? and state='NEEDS_ATTENTION'",
                at.name(), ts(now), owner, id);
    }

    @Override
    public boolean close(UUID id, String reason, Instant now, StepLog note) {
        return operatorChange(id, note, "update rotation_run set state='CLOSED', closed_reason=?, finished_at=?, "
                + "lease_owner=null, lease_until=null where id=? and state='NEEDS_ATTENTION'", reason, ts(now), id);
    }

    /** The conditional update and its step-log row, on one connection (enlisted in the caller's transaction). */
    private boolean operatorChange(UUID id, StepLog note, String sql, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            insertStep(c, id, note);
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new ActiveRunExistsException();
            }
            throw new PersistenceException(e);
        }
    }

    private long count(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    @Override
    public boolean isKnownKey(String account, String user, String fingerprint) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select 1 from known_key where account=? and snowflake_user=? and fingerprint=?")) {
            ps.setString(1, RunStore.caseless(account));
            ps.setString(2, RunStore.caseless(user));
            ps.setString(3, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    @Override
    public void recordKey(String account, String user, String fingerprint, UUID runId, String status) {
        update("insert into known_key (account, snowflake_user, fingerprint, status, run_id, updated_at) "
                + "values (?,?,?,?,?,now()) on conflict (account, snowflake_user, fingerprint) "
                + "do update set status=excluded.status, run_id=excluded.run_id, updated_at=now()",
                RunStore.caseless(account), RunStore.caseless(user), fingerprint, status, runId);
    }

    private void update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    private List<RotationRun> query(String sql, Object... args) {
        return query(0, sql, args);
    }

    /** @param readTimeoutMillis how long to wait for the database's reply (0: the connection's own socket timeout) */
    private List<RotationRun> query(int readTimeoutMillis, String sql, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            int before = c.getNetworkTimeout();
            if (readTimeoutMillis > 0) {
                c.setNetworkTimeout(Runnable::run, readTimeoutMillis);
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                List<RotationRun> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            } finally {
                if (readTimeoutMillis > 0 && !c.isClosed()) {
                    c.setNetworkTimeout(Runnable::run, before);
                }
            }
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    private static RotationRun map(ResultSet rs) throws SQLException {
        RotationRun r = new RotationRun();
        r.id = rs.getObject("id", UUID.class);
        r.connectionId = rs.getObject("connection_id", UUID.class);
        r.policyId = rs.getObject("policy_id", UUID.class);
        r.account = rs.getString("account");
        r.snowflakeUser = rs.getString("snowflake_user");
        r.state = RunState.valueOf(rs.getString("state"));
        r.trigger = rs.getString("trigger_kind");
        r.adopt = rs.getBoolean("adopt");
        r.keySize = rs.getInt("key_size");
        r.gracePeriod = Duration.ofSeconds(rs.getLong("grace_period_seconds"));
        r.maxAttempts = rs.getInt("max_attempts");
        r.attempts = rs.getInt("attempts");
        r.oldFingerprint = rs.getString("old_fingerprint");
        r.oldSlot = (Integer) rs.getObject("old_slot");
        r.targetSlot = (Integer) rs.getObject("target_slot");
        r.newFingerprint = rs.getString("new_fingerprint");
        r.drainUntil = instant(rs, "drain_until");
        r.nextAttemptAt = instant(rs, "next_attempt_at");
        r.lastErrorType = rs.getString("last_error_type");
        r.lastErrorDetail = rs.getString("last_error_detail");
        r.leaseOwner = rs.getString("lease_owner");
        r.leaseUntil = instant(rs, "lease_until");
        r.createdBy = rs.getString("created_by");
        r.createdAt = instant(rs, "created_at");
        r.startedAt = instant(rs, "started_at");
        r.finishedAt = instant(rs, "finished_at");
        String stoppedIn = rs.getString("stopped_in");
        r.stoppedIn = stoppedIn == null ? null : RunState.valueOf(stoppedIn);
        r.closedReason = rs.getString("closed_reason");
        r.owner = rs.getString("owner");
        return r;
    }

    static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Instant instant(ResultSet rs, int col) throws SQLException {
        return RowRead.instant(rs, col);
    }

    static OffsetDateTime ts(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    /** A database failure; carries the SQL state only. */
    public static class PersistenceException extends RuntimeException {
        public PersistenceException(SQLException e) {
            super("database error (SQL state " + e.getSQLState() + ")", e);
        }
    }
}
