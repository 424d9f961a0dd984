package dev.keyline.common.problem;

import java.sql.SQLException;

import dev.keyline.common.logging.FailureText;

/**
 * Tells a failure to get a PostgreSQL connection at all (the server down or refusing, its connection
 * slots used up, the pool's acquisition timeout) from a statement that failed: the first is the
 * client's to retry (503 with Retry-After), the second stays a 500. Before this, a stopped database or
 * a full {@code max_connections} answered 500 {@code internal-error}, which tells a client not to retry.
 */
final class DatabaseUnreachable {

    /** What Agroal's pool says when no connection came free within its acquisition timeout (no SQLState). */
    private static final String ACQUISITION_TIMEOUT = "acquisition timeout";

    private DatabaseUnreachable() {
    }

    static boolean in(Throwable failure) {
        return cause(failure) != null;
    }

    /**
     * For the log line: the SQLState and message of the connection failure ("08001 Connection to
     * 10.0.0.7:5432 refused", "Acquisition timeout while waiting for new connection"), which the
     * wrapping exceptions' class names do not say. A connection failure's message names no statement.
     */
    static String reason(Throwable failure) {
        SQLException sql = cause(failure);
        if (sql == null) {
            return failure.getClass().getName();
        }
        return (sql.getSQLState() == null ? "" : sql.getSQLState() + " ") + FailureText.message(sql);
    }

    private static SQLException cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && unreachable(sql)) {
                return sql;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static boolean unreachable(SQLException e) {
        String state = e.getSQLState();
        if (state != null) {
            // 08: connection exception; 53300: too many connections; 57P01-57P03: shutting down / cannot connect now.
            return state.startsWith("08") || state.equals("53300") || state.startsWith("57P");
        }
        String message = e.getMessage();
        return message != null && message.toLowerCase(java.util.Locale.ROOT).contains(ACQUISITION_TIMEOUT);
    }
}
