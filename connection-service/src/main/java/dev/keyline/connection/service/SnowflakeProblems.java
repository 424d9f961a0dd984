package dev.keyline.connection.service;

import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.snowflake.SnowflakeFailure;

/**
 * Turns classified Snowflake failures into problems that say what to check. Each class has its own
 * stable type; the detail names the fingerprint, account and user that were used (all public).
 */
public final class SnowflakeProblems {

    public static final String JWT_REJECTED = "snowflake-jwt-rejected";
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
            case INSUFFICIENT_PRIVILEGES -> INSUFFICIENT_PRIVILEGES;
            case OBJECT_NOT_FOUND -> OBJECT_NOT_FOUND;
            case TIMEOUT -> TIMEOUT;
            case UNREACHABLE -> UNREACHABLE;
            case OTHER -> ERROR;
        };
    }

    public static int status(SnowflakeFailure.Kind kind) {
        return switch (kind) {
            case JWT_REJECTED, INSUFFICIENT_PRIVILEGES, OBJECT_NOT_FOUND -> 422;
            case TIMEOUT -> 504;
            case UNREACHABLE, OTHER -> 502;
        };
    }

    public static String title(SnowflakeFailure.Kind kind) {
        return switch (kind) {
            case JWT_REJECTED -> "Snowflake rejected the key";
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

    public static ProblemException problem(SnowflakeFailure f, Who who) {
        return problem(f, detail(f, who));
    }

    /** The failure's problem (status, type, title) with a detail of the caller's own. */
    public static ProblemException problem(SnowflakeFailure f, String detail) {
        return new ProblemException(status(f.kind()), slug(f.kind()), title(f.kind()), detail);
    }
}
