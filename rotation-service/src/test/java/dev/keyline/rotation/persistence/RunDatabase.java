package dev.keyline.rotation.persistence;

import java.nio.file.Path;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import dev.keyline.emulators.postgres.EmbeddedPostgres;
import dev.keyline.emulators.postgres.StaleClusters;
import dev.keyline.rotation.RotationRun;

/**
 * A throwaway PostgreSQL cluster with the rotation schema migrated, for tests that play several
 * replicas (one {@link JdbcRunStore} each) against one real database.
 */
public final class RunDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final PGSimpleDataSource dataSource;

    private RunDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        dataSource.setCurrentSchema("rotations");
        Flyway.configure().dataSource(dataSource).schemas("rotations").locations("classpath:db/migration", "classpath:db/common").load()
                .migrate();
    }

    public static RunDatabase start() {
        Path target = Path.of("target").toAbsolutePath();
        StaleClusters.removeAbandoned(target);
        return new RunDatabase(EmbeddedPostgres
                .start(target.resolve(StaleClusters.PREFIX + UUID.randomUUID().toString().substring(0, 8))));
    }

    public PGSimpleDataSource dataSource() {
        return dataSource;
    }

    /** Claims the run {@code id} for {@code owner}, giving back any other due run it got; null if another holds it. */
    public static RotationRun claim(JdbcRunStore store, String owner, UUID id) {
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

    @Override
    public void close() {
        postgres.close();
    }
}
