package dev.keyline.connection.service;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.audit.Outcome;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.vault.VaultUnavailableException;
import dev.keyline.connection.Catalog;
import dev.keyline.connection.config.ConnectionServiceConfig;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.snowflake.SnowflakeFailure;
import dev.keyline.connection.snowflake.SnowflakeGateway;

/**
 * Lists what a connection's role can see (SHOW DATABASES, then SHOW SCHEMAS per database), in one session.
 * Browsing logs in with the stored key, so it is a use of the credential: always audited.
 */
@ApplicationScoped
public class CatalogService {

    static final String ACTION = "connection.browse";

    @Inject
    AuditTrail audit;

    @Inject
    ConnectionStore store;

    @Inject
    SnowflakeLogins logins;

    @Inject
    SnowflakeGateway gateway;

    @Inject
    ConnectionServiceConfig config;

    public Catalog browse(UUID id) {
        ConnectionEntity e = store.getSnowflake(id, "Only Snowflake connections can be browsed");
        int max = config.snowflake().browseMaxDatabases();
        try {
            // Concurrent browses of one connection (same settings and key) share one session.
            Catalog catalog = gateway.shared(new SnowflakeGateway.SharedKey(e.id, e.version, e.credentialVersion, "browse"),
                    logins.stored(e), s -> {
                        List<String> names = s.databases();
                        List<Catalog.Database> databases = new ArrayList<>(names.size());
                        for (int i = 0; i < names.size(); i++) {
                            databases.add(new Catalog.Database(names.get(i), i < max ? s.schemas(names.get(i)) : null));
                        }
                        return new Catalog(databases, names.size() > max);
                    });
            // A read that changed nothing: written after the answer (AuditOutbox).
            audit.deferred(ACTION, ConnectionStore.RESOURCE, e.id.toString(), Outcome.SUCCESS, e.keyFingerprint,
                    catalog.databases().size() + " databases");
            return catalog;
        } catch (SnowflakeFailure f) {
            ProblemException problem = SnowflakeProblems.problem(f, logins.who(e, e.keyFingerprint, null));
            audit.standalone(ACTION, ConnectionStore.RESOURCE, e.id.toString(), Outcome.FAILED, e.keyFingerprint,
                    problem.slug());
            throw problem;
        } catch (VaultUnavailableException x) {
            audit.standalone(ACTION, ConnectionStore.RESOURCE, e.id.toString(), Outcome.FAILED, e.keyFingerprint,
                    "vault-unavailable");
            throw x;
        }
    }
}
