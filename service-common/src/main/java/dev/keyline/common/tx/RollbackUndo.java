package dev.keyline.common.tx;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;

/**
 * Undoes a write outside the database (a Vault secret version) when the current database
 * transaction does not commit. The outside write happens inside the transaction, after the row was
 * flushed, so a failing outside write rolls the row back; this covers the opposite case, a commit
 * that fails after the outside write succeeded.
 */
@ApplicationScoped
public class RollbackUndo {

    private static final Logger LOG = Logger.getLogger(RollbackUndo.class);

    @Inject
    TransactionSynchronizationRegistry txRegistry;

    /** Runs {@code undo} after the current transaction ends in anything but a commit. */
    public void register(Runnable undo) {
        register("an outside write", undo);
    }

    /**
     * As {@link #register(Runnable)}; {@code what} names what would be left behind if the undo fails
     * (a Vault path and version, never data), so the error line tells an operator what to clean up.
     */
    public void register(String what, Runnable undo) {
        TransactionEnd.register(txRegistry, false, undo, ex -> LOG.errorf("Could not undo %s after a rollback (%s): it "
                + "may be left behind with no row pointing at it; remove it once the dependency is back", what,
                ex.getClass().getName()));
    }
}
