package dev.keyline.common.tx;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;

/**
 * Runs a clean-up once the current database transaction has committed: removing what the commit made
 * unreachable outside the database (a Vault secret version no row can point at any more). {@link RollbackUndo}'s
 * counterpart for the other outcome. A failing clean-up is logged and left: the commit stands, and what it
 * would have removed stays where it was.
 */
@ApplicationScoped
public class AfterCommit {

    private static final Logger LOG = Logger.getLogger(AfterCommit.class);

    @Inject
    TransactionSynchronizationRegistry txRegistry;

    /** {@code what} names what stays behind if {@code cleanUp} fails (a Vault path and version, never data). */
    public void register(String what, Runnable cleanUp) {
        TransactionEnd.register(txRegistry, true, cleanUp, ex -> LOG.warnf(
                "Could not remove %s after a commit (%s): it stays until it is removed by hand", what,
                ex.getClass().getName()));
    }
}
