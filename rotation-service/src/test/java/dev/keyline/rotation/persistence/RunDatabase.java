package dev.keyline.rotation.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

import dev.keyline.emulators.postgres.EmbeddedPostgres;
import dev.keyline.emulators.postgres.StaleClusters;
import dev.keyline.rotation.RotationRun;

/**
 * A throwaway PostgreSQL cluster with the rotation schema migrated, for tests that play several
 * replicas (one {@link JdbcRunStore} each) against one real database. A test class registers it
 * once, {@code @RegisterExtension static final RunDatabase db = new RunDatabase();}: the cluster
 * starts before the class's first test and is removed after its last.
 */
public final class RunDatabase implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedPostgres postgres;
    private PGSimpleDataSource dataSource;

    @Override
    public void beforeAll(ExtensionContext context) {
        Path target = Path.of("target").toAbsolutePath();
        StaleClusters.removeAbandoned(target);
        postgres = EmbeddedPostgres.start(target.resolve(StaleClusters.PREFIX + UUID.randomUUID().toString().substring(0, 8)));
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        dataSource.setCurrentSchema("rotations");
        Flyway.configure().dataSource(dataSource).schemas("rotations").locations("classpath:db/migration", "classpath:db/common").load()
                .migrate();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (postgres != null) {
            postgres.close();
        }
    }

    public PGSimpleDataSource dataSource() {
        return dataSource;
    }

    /** A store of its own, as one replica has. */
    public JdbcRunStore store() {
        return new JdbcRunStore(dataSource);
    }

    /** Claims the run {@code id} for {@code owner}, giving back any other due run it got; null if another holds it. */
    public RotationRun claim(JdbcRunStore store, String owner, UUID id) {
        for (int i = 0; i < 5; i++) {
            for (RotationRun r : store.claimDue(owner, 100)) {
                if (r.id.equals(id)) {
                    return r;
                }
                store.release(r.id, owner);
            }
        }
        return null;
    }

    /** Runs an update statement with {@code args} bound in order. */
    public void update(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args)) {
            ps.executeUpdate();
        }
    }

    /** The single number a {@code select count(*) …} answers. */
    public long count(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }
}
