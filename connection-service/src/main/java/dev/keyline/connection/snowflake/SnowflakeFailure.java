package dev.keyline.connection.snowflake;

/**
 * Why a Snowflake operation failed, classified. The message is the driver's first line (Snowflake
 * error texts name users, roles and objects, never key material), capped in length.
 */
public class SnowflakeFailure extends RuntimeException {

    /** The classes of failure the API tells apart. */
    public enum Kind {
        /** 390144: the JWT's key is not registered for the user, or the account/user is wrong. */
        JWT_REJECTED,
        /** 390189: the connection's role (details.role) is not granted to its user. */
        ROLE_NOT_GRANTED,
        /** 003001: the active role may not do this. */
        INSUFFICIENT_PRIVILEGES,
        /** 002003 / 002043: the user, database or object does not exist (or is not visible). */
        OBJECT_NOT_FOUND,
        /** No answer in time. */
        TIMEOUT,
        /** Connection refused, unknown host, or the server answered errors instead of Snowflake's envelope. */
        UNREACHABLE,
        /** Anything else, with Snowflake's code. */
        OTHER
    }

    private final Kind kind;
    private final String code;
    private final String sqlState;

    public SnowflakeFailure(Kind kind, String code, String sqlState, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.sqlState = sqlState;
    }

    public Kind kind() {
        return kind;
    }

    /** Snowflake's six-digit error code ({@code 390144}, {@code 003001}), or null. */
    public String code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }
}
