package dev.keyline.rotation.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.rotation.RotationPolicy;

/** Rotation policies in PostgreSQL (plain JDBC, like the runs). */
@ApplicationScoped
public class PolicyStore {

    private static final String COLUMNS = "id, connection_id, account, snowflake_user, schedule, window_start, window_end, "
            + "window_zone, key_size, grace_period, max_attempts, enabled, next_due_at, last_rotated_at, created_at, "
            + "created_by, updated_at, updated_by, version";

    @Inject
    DataSource dataSource;

    /** @return false when the connection already has a policy */
    public boolean insert(RotationPolicy p) {
        String sql = "insert into rotation_policy (" + COLUMNS + ") values (" + "?,".repeat(18)
                + "?) on conflict (connection_id) do nothing";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, p);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    /**
     * Compare-and-set on {@code expectedVersion}; on success {@code p.version} is the new version.
     *
     * @return false when the policy is gone or another update came first
     */
    public boolean update(RotationPolicy p, long expectedVersion) {
        String sql = "update rotation_policy set schedule=?, window_start=?, window_end=?, window_zone=?, key_size=?, "
                + "grace_period=?, max_attempts=?, enabled=?, next_due_at=?, updated_at=?, updated_by=?, "
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

    public boolean delete(UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from rotation_policy where id=?")) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new JdbcRunStore.PersistenceException(e);
        }
    }

    public Optional<RotationPolicy> find(UUID id) {
        return query("select " + COLUMNS + " from rotation_policy where id=?", id).stream().findFirst();
    }

    public Optional<RotationPolicy> forConnection(UUID connectionId) {
        return query("select " + COLUMNS + " from rotation_policy where connection_id=?", connectionId).stream()
                .findFirst();
    }

    public List<RotationPolicy> list() {
        return query("select " + COLUMNS + " from rotation_policy order by created_at");
    }

    /** One page, oldest first (id breaks ties so pages never overlap). */
    public List<RotationPolicy> list(int page, int size) {
        return query("select " + COLUMNS + " from rotation_policy order by created_at, id limit ? offset ?", size,
                (long) page * size);
    }

    /** Due, enabled policies locked for the caller's transaction; replicas skip each other's. */
    public List<RotationPolicy> lockDue(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from rotation_policy where enabled "
                + "and next_due_at <= now() order by next_due_at limit ? for update skip locked")) {
            ps.setInt(1, limit);
            return read(ps);
        }
    }

    public void setNextDue(Connection c, RotationPolicy p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update rotation_policy set next_due_at=? where id=?")) {
            ps.setObject(1, JdbcRunStore.ts(p.nextDueAt));
            ps.setObject(2, p.id);
            ps.executeUpdate();
        }
    }

    /**
     * Brings the connection's policy forward to {@code at} unless it is due sooner already (or is
     * disabled): a rotation that rolled back is tried again then.
     */
    public void dueAgainAt(UUID connectionId, java.time.Instant at) {
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

    public void markRotated(UUID connectionId, java.time.Instant at, java.time.Instant nextDue) {
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
    }
}
