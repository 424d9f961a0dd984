package dev.keyline.connection.service;

import java.util.ArrayList;
import java.util.List;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.LoginCheck;
import dev.keyline.connection.snowflake.SessionIdentity;
import dev.keyline.connection.snowflake.SnowflakeLogin;

/**
 * Whether a session got the warehouse, database and schema the connection names.
 *
 * <p>
 * Why a test checks this after a successful login: Snowflake does not refuse a login whose
 * warehouse (or database, or schema) does not exist or is not usable by the role; it opens the
 * session without one and the first real query fails ("No active warehouse selected in the current
 * session"). That is the error Sigma's users meet on their first workbook, long after the connection
 * "tested fine". The test therefore reads what the session got and names each setting that was not
 * applied. A login with a new key (credential swap, rotation's verify) does not check this: it is
 * about the key, and a dropped warehouse must not stop a rotation.
 */
public final class SessionSettings {

    private SessionSettings() {
    }

    /** The settings of {@code login} the session did not get; empty when all were applied. */
    public static List<FieldError> notApplied(SnowflakeLogin login, SessionIdentity session) {
        String role = session.role() == null ? "the session's role" : "role " + session.role();
        List<FieldError> errors = new ArrayList<>(3);
        if (login.warehouse() != null && session.warehouse() == null) {
            errors.add(new FieldError("details.warehouse", "warehouse " + login.warehouse()
                    + " was not applied to the session: it does not exist or " + role
                    + " has no USAGE on it (GRANT USAGE ON WAREHOUSE " + login.warehouse() + " TO ROLE "
                    + roleName(session) + ")"));
        }
        if (login.database() != null && session.database() == null) {
            errors.add(new FieldError("details.database", "database " + login.database()
                    + " was not applied to the session: it does not exist or " + role
                    + " has no USAGE on it (GRANT USAGE ON DATABASE " + login.database() + " TO ROLE "
                    + roleName(session) + ")"));
        } else if (login.schema() != null && session.database() != null && session.schema() == null) {
            errors.add(new FieldError("details.schema", "schema " + login.schema() + " of database "
                    + session.database() + " was not applied to the session: it does not exist or " + role
                    + " has no USAGE on it (GRANT USAGE ON SCHEMA " + session.database() + "." + login.schema()
                    + " TO ROLE " + roleName(session) + ")"));
        }
        return errors;
    }

    /**
     * The answer for a session without some of its settings: the same type as a statement naming an
     * object that does not exist ({@code snowflake-object-not-found}, 422), with a field per setting.
     */
    public static ProblemException problem(SnowflakeLogin login, SessionIdentity session, List<FieldError> errors) {
        return new ProblemException(422, SnowflakeProblems.OBJECT_NOT_FOUND, "Snowflake object not found",
                "Logged in as " + session.user() + (session.role() == null ? "" : " with role " + session.role())
                        + ", but the session did not get " + names(login, errors)
                        + ": queries through this connection would fail ("
                        + (login.warehouse() != null && session.warehouse() == null
                                ? "\"No active warehouse selected in the current session\""
                                : "names without a database or schema do not resolve")
                        + "). Check the names (unquoted names are upper-cased by Snowflake) and the role's grants",
                errors);
    }

    /** How a create's or a change's login is reported when the session lacks some settings; null when it has them all. */
    public static LoginCheck notAppliedCheck(SnowflakeLogin login, SessionIdentity session) {
        List<FieldError> errors = notApplied(login, session);
        if (errors.isEmpty()) {
            return null;
        }
        ProblemException p = problem(login, session, errors);
        return new LoginCheck(false, null, p.slug(), p.getMessage(), null, p.errors());
    }

    private static String names(SnowflakeLogin login, List<FieldError> errors) {
        return String.join(" and ", errors.stream().map(e -> switch (e.field()) {
            case "details.warehouse" -> "its warehouse " + login.warehouse();
            case "details.database" -> "its database " + login.database();
            default -> "its schema " + login.schema();
        }).toList());
    }

    private static String roleName(SessionIdentity session) {
        return session.role() == null ? "<role>" : session.role();
    }
}
