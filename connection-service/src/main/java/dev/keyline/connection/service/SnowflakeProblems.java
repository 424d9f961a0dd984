package dev.keyline.connection.service;

import java.util.List;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.snowflake.SnowflakeFailure;
import dev.keyline.connection.snowflake.SnowflakeIdentifiers;

/**
 * Turns classified Snowflake failures into problems that say what to check. Each class has its own
 * stable type; the detail names the fingerprint, account and user that were used (all public).
 */
public final class SnowflakeProblems {

    public static final String JWT_REJECTED = "snowflake-jwt-rejected";
    public static final String ROLE_NOT_GRANTED = "snowflake-role-not-granted";
    public static final String INSUFFICIENT_PRIVILEGES = "snowflake-insufficient-privileges";
    public static final String OBJECT_NOT_FOUND = "snowflake-object-not-found";
    public static final String TIMEOUT = "snowflake-timeout";
    public static final String UNREACHABLE = "snowflake-unreachable";
    public static final String ERROR = "snowflake-error";

    private SnowflakeProblems() {
    }

    /**
     * Who logged in when it failed.
     *
     * @param keyAdminFor when the login was a key-admin connection acting for another connection,
     *        that connection's user; else null
     */
    public record Who(String connectionName, String account, String user, String role, String fingerprint,
            String keyAdminFor) {
    }

    public static String slug(SnowflakeFailure.Kind kind) {
        return switch (kind) {
            case JWT_REJECTED -> JWT_REJECTED;
            case ROLE_NOT_GRANTED -> ROLE_NOT_GRANTED;
            case INSUFFICIENT_PRIVILEGES -> INSUFFICIENT_PRIVILEGES;
            case OBJECT_NOT_FOUND -> OBJECT_NOT_FOUND;
            case TIMEOUT -> TIMEOUT;
            case UNREACHABLE -> UNREACHABLE;
            case OTHER -> ERROR;
        };
    }

    public static int status(SnowflakeFailure.Kind kind) {
        return switch (kind) {
            case JWT_REJECTED, ROLE_NOT_GRANTED, INSUFFICIENT_PRIVILEGES, OBJECT_NOT_FOUND -> 422;
            case TIMEOUT -> 504;
            case UNREACHABLE, OTHER -> 502;
        };
    }

    public static String title(SnowflakeFailure.Kind kind) {
        return switch (kind) {
            case JWT_REJECTED -> "Snowflake rejected the key";
            case ROLE_NOT_GRANTED -> "Snowflake role not granted";
            case INSUFFICIENT_PRIVILEGES -> "Insufficient Snowflake privileges";
            case OBJECT_NOT_FOUND -> "Snowflake object not found";
            case TIMEOUT -> "Snowflake timeout";
            case UNREACHABLE -> "Snowflake unreachable";
            case OTHER -> "Snowflake error";
        };
    }

    /** The human detail: what failed and what to compare or change. */
    public static String detail(SnowflakeFailure f, Who who) {
        String as = who.keyAdminFor() == null ? ""
                : "Logging in as key-admin connection '" + who.connectionName() + "' (user " + who.user() + ") failed: ";
        String code = f.code() == null ? "" : " [Snowflake code " + f.code() + "]";
        return switch (f.kind()) {
            case JWT_REJECTED -> as + "Snowflake rejected the JWT: the key's fingerprint " + who.fingerprint()
                    + " is not registered for user " + who.user() + " in account " + who.account()
                    + ", or the account identifier is wrong — compare with DESC USER " + who.user()
                    + " (RSA_PUBLIC_KEY_FP / RSA_PUBLIC_KEY_2_FP)" + code;
            case ROLE_NOT_GRANTED -> as + "The role " + (who.role() == null ? "(default role)" : who.role())
                    + " (details.role) is not granted to user " + who.user() + " in account " + who.account()
                    + ": grant it (GRANT ROLE " + (who.role() == null ? "<role>" : SnowflakeIdentifiers.object(who.role()))
                    + " TO USER " + SnowflakeIdentifiers.user(who.user())
                    + "), or set details.role to a role the user has (SHOW GRANTS TO USER " + SnowflakeIdentifiers.user(who.user())
                    + "), or leave it empty for the user's default role. Snowflake said: " + f.getMessage() + code;
            case INSUFFICIENT_PRIVILEGES -> as + "The role " + (who.role() == null ? "(default role)" : who.role())
                    + " of user " + who.user() + " lacks the privilege"
                    + (who.keyAdminFor() == null ? "" : " on user " + who.keyAdminFor())
                    + ": changing or describing another user's keys needs OWNERSHIP or MODIFY PROGRAMMATIC "
                    + "AUTHENTICATION METHODS on that user; a plain user cannot set its own key — name a "
                    + "keyAdminConnectionId whose role has it. Snowflake said: " + f.getMessage() + code;
            case OBJECT_NOT_FOUND -> as + "Snowflake says: " + f.getMessage()
                    + " Check the names (unquoted names are upper-cased by Snowflake) and that the role may see them"
                    + code;
            case TIMEOUT -> as + f.getMessage() + " (timeoutSecs); Snowflake may be slow or the network drops packets";
            case UNREACHABLE -> as + f.getMessage();
            case OTHER -> as + "Snowflake error" + (f.code() == null ? "" : " " + f.code()) + ": " + f.getMessage();
        };
    }

    /**
     * The field error when the failure is about one of the connection's settings, else null: a role not
     * granted is the user's configuration ({@code details.role}, or {@code details.keyAdminConnectionId}
     * when it is the key-admin connection's role), to be answered like a wrong key, not like an outage.
     */
    public static FieldError fieldError(SnowflakeFailure f, Who who) {
        if (f.kind() != SnowflakeFailure.Kind.ROLE_NOT_GRANTED) {
            return null;
        }
        String role = who.role() == null ? "(default role)" : who.role();
        return who.keyAdminFor() == null
                ? new FieldError("details.role", "role " + role + " is not granted to user " + who.user()
                        + " in Snowflake (code 390189)")
                : new FieldError("details.keyAdminConnectionId", "the role " + role + " of key-admin connection '"
                        + who.connectionName() + "' is not granted to its user " + who.user()
                        + " in Snowflake (code 390189)");
    }

    public static ProblemException problem(SnowflakeFailure f, Who who) {
        return problem(f, detail(f, who), who);
    }

    /**
     * The failure's problem (status, type, title) with a detail of the caller's own; a field error
     * when the failure is about one of the connection's settings ({@link #fieldError}).
     */
    public static ProblemException problem(SnowflakeFailure f, String detail, Who who) {
        FieldError field = fieldError(f, who);
        return new ProblemException(status(f.kind()), slug(f.kind()), title(f.kind()), detail,
                field == null ? List.of() : List.of(field));
    }
}
