package dev.keyline.rotation.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.keyline.common.audit.AuditRow;
import dev.keyline.common.audit.Outcome;
import dev.keyline.rotation.PolicyRepository;
import dev.keyline.rotation.ResultPage;
import dev.keyline.rotation.RotationPolicy;
import dev.keyline.rotation.RotationRun;

/** Rotation policies in PostgreSQL (plain JDBC, like the runs). */
@ApplicationScoped
public class JdbcPolicyStore implements PolicyRepository {

    private static final Logger LOG = Logger.getLogger(JdbcPolicyStore.class);

    /** Writes a policy's field into a statement parameter. */
    @FunctionalInterface
    private interface Bind {
        void bind(PreparedStatement ps, int index, RotationPolicy p) throws SQLException;
    }

    /** Reads a column of the current row into a policy's field. */
    @FunctionalInterface
    private interface Read {
        void read(ResultSet rs, String column, RotationPolicy p) throws SQLException;
    }

    /** A column of rotation_policy: whether an update may change it, and how its field is written and read. */
    private record Column(String name, boolean updatable, Bind bind, Read read) {
    }

    /**
     * rotation_policy's columns, once: the insert, the update and every select are made from this
     * list, so a column cannot be bound in one statement and forgotten in another. What a policy
     * update leaves alone (identity, creation, the last rotation, the version it bumps itself) is
     * not updatable.
     */
    private static final List<Column> POLICY_COLUMNS = List.of(
            new Column("id", false, (ps, i, p) -> ps.setObject(i, p.id),
                    (rs, c, p) -> p.id = rs.getObject(c, UUID.class)),
            new Column("connection_id", false, (ps, i, p) -> ps.setObject(i, p.connectionId),
                    (rs, c, p) -> p.connectionId = rs.getObject(c, UUID.class)),
            new Column("account", false, (ps, i, p) -> ps.setString(i, p.account),
                    (rs, c, p) -> p.account = rs.getString(c)),
            new Column("snowflake_user", false, (ps, i, p) -> ps.setString(i, p.snowflakeUser),
                    (rs, c, p) -> p.snowflakeUser = rs.getString(c)),
            new Column("schedule", true, (ps, i, p) -> ps.setString(i, p.schedule),
                    (rs, c, p) -> p.schedule = rs.getString(c)),
            new Column("window_start", true, (ps, i, p) -> ps.setString(i, p.windowStart),
                    (rs, c, p) -> p.windowStart = rs.getString(c)),
            new Column("window_end", true, (ps, i, p) -> ps.setString(i, p.windowEnd),
                    (rs, c, p) -> p.windowEnd = rs.getString(c)),
            new Column("window_zone", true, (ps, i, p) -> ps.setString(i, p.windowZone),
                    (rs, c, p) -> p.windowZone = rs.getString(c)),
            new Column("key_size", true, (ps, i, p) -> ps.setInt(i, p.keySize),
                    (rs, c, p) -> p.keySize = rs.getInt(c)),
            new Column("grace_period", true, (ps, i, p) -> ps.setString(i, p.gracePeriod.toString()),
                    (rs, c, p) -> p.gracePeriod = Duration.parse(rs.getString(c))),
            new Column("max_attempts", true, (ps, i, p) -> ps.setInt(i, p.maxAttempts),
                    (rs, c, p) -> p.maxAttempts = rs.getInt(c)),
            new Column("enabled", true, (ps, i, p) -> ps.setBoolean(i, p.enabled),
                    (rs, c, p) -> p.enabled = rs.getBoolean(c)),
            new Column("next_due_at", true, (ps, i, p) -> ps.setObject(i, JdbcRunStore.ts(p.nextDueAt)),
                    (rs, c, p) -> p.nextDueAt = JdbcRunStore.instant(rs, c)),
            new Column("last_rotated_at", false, (ps, i, p) -> ps.setObject(i, JdbcRunStore.ts(p.lastRotatedAt)),
                    (rs, c, p) -> p.lastRotatedAt = JdbcRunStore.instant(rs, c)),
            new Column("created_at", false, (ps, i, p) -> ps.setObject(i, JdbcRunStore.ts(p.createdAt)),
                    (rs, c, p) -> p.createdAt = JdbcRunStore.instant(rs, c)),
            new Column("created_by", false, (ps, i, p) -> ps.setString(i, p.createdBy),
                    (rs, c, p) -> p.createdBy = rs.getString(c)),
            new Column("updated_at", true, (ps, i, p) -> ps.setObject(i, JdbcRunStore.ts(p.updatedAt)),
                    (rs, c, p) -> p.updatedAt = JdbcRunStore.instant(rs, c)),
            new Column("updated_by", true, (ps, i, p) -> ps.setString(i, p.updatedBy),
                    (rs, c, p) -> p.updatedBy = rs.getString(c)),
            new Column("version", false, (ps, i, p) -> ps.setLong(i, p.version),
                    (rs, c, p) -> p.version = rs.getLong(c)),
            new Column("disabled_reason", true, (ps, i, p) -> ps.setString(i, p.disabledReason),
                    (rs, c, p) -> p.disabledReason = rs.getString(c)));

    private static final List<Column> UPDATABLE = POLICY_COLUMNS.stream().filter(Column::updatable).toList();

    private static final String COLUMNS = POLICY_COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "));

    private static final String INSERT = "insert into rotation_policy (" + COLUMNS + ") values ("
            + POLICY_COLUMNS.stream().map(c -> "?").collect(Collectors.joining(", "))
            + ") on conflict (connection_id) do nothing";

    /** Only if nobody changed the policy since the caller read it (optimistic locking on version). */
    private static final String UPDATE = "update rotation_policy set "
            + UPDATABLE.stream().map(c -> c.name() + "=?").collect(Collectors.joining(", "))
            + ", version=version + 1 where id=? and version=?";

    @Inject
    DataSource dataSource;

    @Inject
    JdbcRunStore runs;

    @Override
    public boolean insert(RotationPolicy p) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, 1, POLICY_COLUMNS, p);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    @Override
    public boolean update(RotationPolicy p, long expectedVersion) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPDATE)) {
            int i = bind(ps, 1, UPDATABLE, p);
            ps.setObject(i++, p.id);
            ps.setLong(i++, expectedVersion);
            if (ps.executeUpdate() != 1) {
                return false;
            }
            p.version = expectedVersion + 1;
            return true;
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    @Override
    public boolean delete(UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from rotation_policy where id=?")) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    @Override
    public Optional<RotationPolicy> find(UUID id) {
        return query("select " + COLUMNS + " from rotation_policy where id=?", id).stream().findFirst();
    }

    @Override
    public Optional<RotationPolicy> forConnection(UUID connectionId) {
        return query("select " + COLUMNS + " from rotation_policy where connection_id=?", connectionId).stream()
                .findFirst();
    }

    @Override
    public List<RotationPolicy> list() {
        return query("select " + COLUMNS + " from rotation_policy order by created_at");
    }

    @Override
    public ResultPage<RotationPolicy> list(PolicyFilter f, int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        if (f.connectionId() != null) {
            where.append(" and connection_id=?");
            args.add(f.connectionId());
        }
        if (f.enabled() != null) {
            where.append(" and enabled=?");
            args.add(f.enabled());
        }
        long total;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from rotation_policy" + where)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
        args.add(size);
        args.add((long) page * size);
        // id breaks ties so that pages never overlap.
        return new ResultPage<>(query("select " + COLUMNS + " from rotation_policy" + where
                + " order by created_at, id limit ? offset ?", args.toArray()), total);
    }

    @Override
    public Upcoming upcoming(Instant now, Instant until, int keySize) {
        // Both on the partial index rotation_policy_due: a range, and its first entry after now.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select (select count(*) from rotation_policy where enabled and next_due_at <= ? and key_size = ?), "
                        + "(select min(next_due_at) from rotation_policy where enabled and next_due_at > ?)")) {
            ps.setObject(1, JdbcRunStore.ts(until));
            ps.setInt(2, keySize);
            ps.setObject(3, JdbcRunStore.ts(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Upcoming(rs.getInt(1), Optional.ofNullable(JdbcRunStore.instant(rs, 2)));
            }
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    @Override
    public List<RotationPolicy> due(Instant now, int limit) {
        return query("select " + COLUMNS + " from rotation_policy where enabled and next_due_at <= ? "
                + "order by next_due_at limit ?", JdbcRunStore.ts(now), limit);
    }

    @Override
    public List<RotationRun> startDueRuns(Instant now, int limit) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<RotationRun> created = new ArrayList<>();
                for (RotationPolicy p : lockDue(c, now, limit)) {
                    RotationRun run = RotationRun.scheduled(p, now);
                    boolean inserted = runs.insertIfNoneActive(c, run);
                    // Next due counts from now; success moves it again from the finish time.
                    setNextDue(c, p.id, p.parsedSchedule().nextDue(now, now));
                    if (inserted) {
                        new AuditRow("scheduler", null, "rotation.started", "rotation", run.id.toString(),
                                Outcome.SUCCESS, null, "connection " + p.connectionId + ", policy " + p.id + " due")
                                .insert(c);
                        LOG.infof("Policy %s due: rotation %s created for connection %s", p.id, run.id, p.connectionId);
                        created.add(run);
                    }
                }
                c.commit();
                return created;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    @Override
    public boolean disable(UUID id, String reason, String actor) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("update rotation_policy set enabled=false, disabled_reason=?, "
                    + "updated_at=now(), updated_by=?, version=version + 1 where id=? and enabled returning connection_id")) {
                ps.setString(1, reason);
                ps.setString(2, actor);
                ps.setObject(3, id);
                UUID connectionId;
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        return false;
                    }
                    connectionId = rs.getObject(1, UUID.class);
                }
                new AuditRow(actor, null, "rotation-policy.disabled", "rotation-policy", id.toString(), Outcome.SUCCESS,
                        null, "connection " + connectionId + ": " + reason).insert(c);
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    /**
     * Policies enabled and due at {@code now}, locked for the caller's transaction; replicas skip each
     * other's. {@code now} is the caller's, not the database's: it is the instant up to which the
     * caller has checked that the policies' connections still exist ({@link #due}).
     */
    private List<RotationPolicy> lockDue(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from rotation_policy where enabled "
                + "and next_due_at <= ? order by next_due_at limit ? for update skip locked")) {
            ps.setObject(1, JdbcRunStore.ts(now));
            ps.setInt(2, limit);
            return read(ps);
        }
    }

    private static void setNextDue(Connection c, UUID id, Instant nextDue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update rotation_policy set next_due_at=? where id=?")) {
            ps.setObject(1, JdbcRunStore.ts(nextDue));
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    @Override
    public void dueAgainAt(UUID connectionId, Instant at) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update rotation_policy set next_due_at = least(coalesce(next_due_at, ?), ?) "
                        + "where connection_id=? and enabled")) {
            ps.setObject(1, JdbcRunStore.ts(at));
            ps.setObject(2, JdbcRunStore.ts(at));
            ps.setObject(3, connectionId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    @Override
    public void markRotated(UUID connectionId, Instant at, Instant nextDue) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update rotation_policy set last_rotated_at=?, next_due_at=? where connection_id=?")) {
            ps.setObject(1, JdbcRunStore.ts(at));
            ps.setObject(2, JdbcRunStore.ts(nextDue));
            ps.setObject(3, connectionId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    private List<RotationPolicy> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return read(ps);
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    private static List<RotationPolicy> read(PreparedStatement ps) throws SQLException {
        List<RotationPolicy> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                RotationPolicy p = new RotationPolicy();
                for (Column column : POLICY_COLUMNS) {
                    column.read().read(rs, column.name(), p);
                }
                out.add(p);
            }
        }
        return out;
    }

    /** Binds {@code columns} of {@code p} from parameter {@code first} on; returns the next free parameter index. */
    private static int bind(PreparedStatement ps, int first, List<Column> columns, RotationPolicy p) throws SQLException {
        int i = first;
        for (Column column : columns) {
            column.bind().bind(ps, i++, p);
        }
        return i;
    }
}
