package dev.keyline.rotation.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.PolicyRepository;
import dev.keyline.rotation.RotationPolicy;
import dev.keyline.rotation.RunStore;
import dev.keyline.rotation.client.ConnectionServiceClient;

/**
 * Policies of connections that were deleted. rotation-service depends on connection-service, not
 * the reverse: connection-service does not know about policies and tells nobody when it deletes a
 * connection. So before due policies become runs, each one's connection is looked up (with this
 * service's own token); a 404 disables the policy with the visible reason
 * {@value #REASON}, audited, and no run is started. Any other failure leaves the policy alone: the
 * run it becomes retries like every run while connection-service is away.
 */
@ApplicationScoped
public class DeletedConnections {

    /** What a policy's readers see as {@code disabledReason}. */
    public static final String REASON = "connection deleted";

    private static final Logger LOG = Logger.getLogger(DeletedConnections.class);

    /** How many due policies one scheduler round looks at; the worker starts at most as many runs. */
    static final int LIMIT = 50;

    @Inject
    PolicyRepository policies;

    @Inject
    ConnectionServiceClient connections;

    /** @return how many policies it disabled */
    public int disablePolicies(Instant now) {
        int disabled = 0;
        for (RotationPolicy p : policies.due(now, LIMIT)) {
            try {
                connections.connection(p.connectionId);
            } catch (ConnectionServiceException e) {
                if (e.status() == 404 && policies.disable(p.id, REASON, RunStore.ACTOR)) {
                    LOG.infof("Policy %s disabled: connection %s was deleted", p.id, p.connectionId);
                    disabled++;
                }
            }
        }
        return disabled;
    }
}
