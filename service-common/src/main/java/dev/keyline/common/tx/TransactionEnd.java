package dev.keyline.common.tx;

import java.util.function.Consumer;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** The one {@link Synchronization} {@link RollbackUndo} and {@link AfterCommit} register: an action for one outcome. */
final class TransactionEnd {

    private TransactionEnd() {
    }

    /**
     * Runs {@code action} once the current transaction has ended committed ({@code onCommit}) or not; what it
     * throws goes to {@code failed}, since nothing may fail after the outcome is decided.
     */
    static void register(TransactionSynchronizationRegistry registry, boolean onCommit, Runnable action,
            Consumer<RuntimeException> failed) {
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if ((status == Status.STATUS_COMMITTED) == onCommit) {
                    try {
                        action.run();
                    } catch (RuntimeException ex) {
                        failed.accept(ex);
                    }
                }
            }
        });
    }
}
