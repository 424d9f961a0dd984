package dev.keyline.connection.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import dev.keyline.common.tx.AfterCommit;
import dev.keyline.common.tx.RollbackUndo;
import dev.keyline.connection.client.CertificateServiceClient;
import dev.keyline.connection.client.CertificateServiceException;
import dev.keyline.connection.persistence.ConnectionEntity;

/**
 * Tells certificate-service which API connectors use which certificate, so it refuses to delete a
 * certificate still in use (409 {@code certificate-in-use} naming them). Done with the caller's own
 * token: binding a certificate is a use of it (the caller's {@code certificates:use}); this service
 * has no authority of its own there.
 *
 * <p>
 * Order: registering happens inside the connector's transaction, after its row is flushed and before
 * the commit, so a refused or failed registration leaves no connector behind (and a commit that fails
 * afterwards undoes the registration). Unregistering happens after the row is gone; if it fails the
 * registration stays behind: it is logged, and certificate-service's 409 shows the connection id so an
 * operator removes it with {@code DELETE /api/v1/certificates/{id}/consumers/{connectionId}}. A stale
 * registration blocks a deletion; a missing one would let a certificate in use be deleted.
 */
@ApplicationScoped
public class CertificateUse {

    private static final Logger LOG = Logger.getLogger(CertificateUse.class);

    @Inject
    CertificateServiceClient certificates;

    @Inject
    JsonWebToken caller;

    @Inject
    RollbackUndo rollbackUndo;

    @Inject
    AfterCommit afterCommit;

    /**
     * Registers the connector at its certificate (nothing for Snowflake connections or a connector
     * without certificate). Call inside the transaction writing the row. {@code newBinding}: the
     * connector did not use this certificate before, so a rollback unregisters it again (a rename
     * keeps the registration it had).
     */
    public void register(ConnectionEntity e, boolean newBinding) {
        if (e.isSnowflake() || e.certificateId == null) {
            return;
        }
        String token = caller.getRawToken();
        UUID certificateId = e.certificateId;
        UUID connectionId = e.id;
        try {
            certificates.registerConsumer(certificateId, connectionId, e.name, token);
        } catch (CertificateServiceException x) {
            throw CertificateServiceProblems.problem(x, e);
        } catch (FaultToleranceException x) {
            throw CertificateServiceProblems.unavailable("certificate-service did not register connector " + connectionId
                    + " as a user of certificate " + certificateId + "; the connector was not saved");
        }
        if (newBinding) {
            rollbackUndo.register(() -> unregister(certificateId, connectionId, token));
        }
    }

    /**
     * Unregisters the connector from {@code certificateId} once the current transaction has committed
     * (the row deleted, or moved to another certificate); nothing when it rolls back.
     */
    public void unregisterAfterCommit(UUID certificateId, UUID connectionId) {
        if (certificateId == null) {
            return;
        }
        String token = caller.getRawToken();
        // unregister() logs its own failures with the way out; nothing reaches AfterCommit's line.
        afterCommit.register("connector " + connectionId + " as a user of certificate " + certificateId,
                () -> unregister(certificateId, connectionId, token));
    }

    private void unregister(UUID certificateId, UUID connectionId, String token) {
        try {
            certificates.unregisterConsumer(certificateId, connectionId, token);
        } catch (CertificateServiceException x) {
            if (x.status() == 404) {
                return; // the certificate is gone, and with it every registration
            }
            stale(certificateId, connectionId, x.status() + " " + x.problemType());
        } catch (RuntimeException x) {
            // After the commit nothing may fail the request: the connector is gone either way.
            stale(certificateId, connectionId, x.getClass().getSimpleName());
        }
    }

    private static void stale(UUID certificateId, UUID connectionId, String why) {
        LOG.warnf("Connector %s still shows as a user of certificate %s at certificate-service (unregistering failed: %s); "
                + "remove it with DELETE /api/v1/certificates/%s/consumers/%s", connectionId, certificateId, why,
                certificateId, connectionId);
    }
}
