package dev.keyline.rotation.service;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.keyline.rotation.ConnectionServiceException;

/**
 * Counts every remote call (connection-service and Vault) and fails the n-th one, before or after
 * it takes effect, either as a transient error or as a crash of the process (an {@link Error} the
 * engine does not catch: whatever it had not persisted is lost).
 */
class Faults {

    enum When { BEFORE, AFTER }

    enum Kind { TRANSIENT, CRASH, PERMANENT }

    static final class Crash extends Error {
        Crash() {
            super("simulated crash");
        }
    }

    int counter;
    int failAt = -1;
    When when = When.BEFORE;
    Kind kind = Kind.TRANSIENT;
    /** Fail every call of this operation (e.g. "setKeySlot"), or null. */
    String alwaysFail;
    final List<String> trace = new ArrayList<>();

    /** Runs once, just before the next call of this operation (someone else acting meanwhile). */
    final java.util.Map<String, Runnable> before = new java.util.HashMap<>();

    <T> T around(String op, Supplier<T> call) {
        int n = counter++;
        trace.add(op);
        Runnable meanwhile = before.remove(op);
        if (meanwhile != null) {
            meanwhile.run();
        }
        if (op.equals(alwaysFail)) {
            throw ConnectionServiceException.unavailable("always failing " + op);
        }
        if (n == failAt && when == When.BEFORE) {
            fail(op);
        }
        T result = call.get();
        if (n == failAt && when == When.AFTER) {
            fail(op);
        }
        return result;
    }

    private void fail(String op) {
        switch (kind) {
            case CRASH -> throw new Crash();
            case PERMANENT -> throw new ConnectionServiceException(400, "urn:keyline:problem:injected", "injected " + op);
            case TRANSIENT -> throw ConnectionServiceException.unavailable("injected " + op);
        }
    }
}
