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

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.keyline.rotation.PolicyRepository;
import dev.keyline.rotation.ResultPage;
import dev.keyline.rotation.RotationPolicy;
import dev.keyline.rotation.RotationRun;

/** Rotation policies in PostgreSQL (plain JDBC, like the runs). */
@ApplicationScoped
public class JdbcPolicyStore implements PolicyRepository {

    private static final Logger LOG = Logger.getLogger(JdbcPolicyStore.class);

    private static final String COLUMNS = "id, connection_id, account, snowflake_user, schedule, window_start, window_end, "
            + "window_zone, key_size, grace_period, max_attempts, enabled, next_due_at, last_rotated_at, created_at, "
            + "created_by, updated_at, updated_by, version, disabled_reason";

    @Inject
    DataSource dataSource;

    @Inject
    JdbcRunStore runs;

    @Override
    public boolean insert(RotationPolicy p) {
        String sql = "insert into rotation_policy (" + COLUMNS + ") values (" + "?,".repeat(19)
                + "?) on conflict (connection_id) do nothing";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, p);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    @Override
    public boolean update(RotationPolicy p, long expectedVersion) {
        String sql = "update rotation_policy set schedule=?, window_start=?, window_end=?, window_zone=?, key_size=?, "
                + "grace_period=?, max_attempts=?, enabled=?, disabled_reason=?, next_due_at=?, updated_at=?, updated_by=?, "
                + "version=version + 1 where id=? and version=?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, p.schedule);
            ps.setString(i++, p.windowStart);
            ps.setString(i++, p.windowEnd);
            ps.setString(i++, p.windowZone);
            ps.setInt(i++, p.keySize);
            ps.setString(i++, p.gracePeriod.toString());
            ps.setInt(i++, p.maxAttempts);
            ps.setBoolean(i++, p.enabled);
            ps.setString(i++, p.disabledReason);
            ps.setObject(i++, JdbcRunStore.ts(p.nextDueAt));
            ps.setObject(i++, JdbcRunStore.ts(p.updatedAt));
            ps.setString(i++, p.updatedBy);
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
                for (RotationPolicy p : lockDue(c, limit)) {
                    RotationRun run = RotationRun.scheduled(p, now);
                    boolean inserted = runs.insertIfNoneActive(c, run);
                    // Next due counts from now; success moves it again from the finish time.
                    setNextDue(c, p.id, p.parsedSchedule().nextDue(now, now));
                    if (inserted) {
                        JdbcRunStore.insertAudit(c, "scheduler", "rotation.started", "rotation", run.id.toString(),
                                "SUCCESS", null, "connection " + p.connectionId + ", policy " + p.id + " due");
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
                JdbcRunStore.insertAudit(c, actor, "rotation-policy.disabled", "rotation-policy", id.toString(), "SUCCESS",
                        null, "connection " + connectionId + ": " + reason);
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

    /** Due, enabled policies locked for the caller's transaction; replicas skip each other's. */
    private List<RotationPolicy> lockDue(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from rotation_policy where enabled "
                + "and next_due_at <= now() order by next_due_at limit ? for update skip locked")) {
            ps.setInt(1, limit);
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
                p.id = rs.getObject("id", UUID.class);
                p.connectionId = rs.getObject("connection_id", UUID.class);
                p.account = rs.getString("account");
                p.snowflakeUser = rs.getString("snowflake_user");
                p.schedule = rs.getString("schedule");
                p.windowStart = rs.getString("window_start");
                p.windowEnd = rs.getString("window_end");
                p.windowZone = rs.getString("window_zone");
                p.keySize = rs.getInt("key_size");
                p.gracePeriod = Duration.parse(rs.getString("grace_period"));
                p.maxAttempts = rs.getInt("max_attempts");
                p.enabled = rs.getBoolean("enabled");
                p.nextDueAt = JdbcRunStore.instant(rs, "next_due_at");
                p.lastRotatedAt = JdbcRunStore.instant(rs, "last_rotated_at");
                p.createdAt = JdbcRunStore.instant(rs, "created_at");
                p.createdBy = rs.getString("created_by");
                p.updatedAt = JdbcRunStore.instant(rs, "updated_at");
                p.updatedBy = rs.getString("updated_by");
                p.version = rs.getLong("version");
                p.disabledReason = rs.getString("disabled_reason");
                out.add(p);
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, RotationPolicy p) throws SQLException {
        int i = 1;
        ps.setObject(i++, p.id);
        ps.setObject(i++, p.connectionId);
        ps.setString(i++, p.account);
        ps.setString(i++, p.snowflakeUser);
        ps.setString(i++, p.schedule);
        ps.setString(i++, p.windowStart);
        ps.setString(i++, p.windowEnd);
        ps.setString(i++, p.windowZone);
        ps.setInt(i++, p.keySize);
        ps.setString(i++, p.gracePeriod.toString());
        ps.setInt(i++, p.maxAttempts);
        ps.setBoolean(i++, p.enabled);
        ps.setObject(i++, JdbcRunStore.ts(p.nextDueAt));
        ps.setObject(i++, JdbcRunStore.ts(p.lastRotatedAt));
        ps.setObject(i++, JdbcRunStore.ts(p.createdAt));
        ps.setString(i++, p.createdBy);
        ps.setObject(i++, JdbcRunStore.ts(p.updatedAt));
        ps.setString(i++, p.updatedBy);
        ps.setLong(i++, p.version);
        ps.setString(i++, p.disabledReason);
    }
}
