package dev.keyline.common.jdbc;

import java.util.Locale;
import java.util.Set;

import org.hibernate.exception.ConstraintViolationException;

/**
 * Reads a failed write as "one of these unique indexes refused the row". A name is checked before
 * its row is written, but a create or rename racing another for the same name passes that check
 * too; the index then refuses the loser's row, and the caller answers that as the same 409 the
 * check gives, not as a 500.
 */
public final class UniqueViolation {

    private UniqueViolation() {
    }

    /**
     * Whether {@code failure} (from an insert or a flush) or one of its causes is a constraint
     * violation of one of {@code constraints} (lower-case names, as PostgreSQL reports them).
     */
    public static boolean of(Throwable failure, Set<String> constraints) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConstraintViolationException cve && cve.getConstraintName() != null
                    && constraints.contains(cve.getConstraintName().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
