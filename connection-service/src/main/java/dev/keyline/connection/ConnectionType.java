package dev.keyline.connection;

import java.util.Locale;

/** What a connection reaches: a Snowflake account (key-pair login) or an HTTPS API (through certificate-service). */
public enum ConnectionType {
    SNOWFLAKE,
    API;

    /** The lower-case name used in JSON and in the database. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Null for anything but "snowflake" or "api". */
    public static ConnectionType fromWire(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "snowflake" -> SNOWFLAKE;
            case "api" -> API;
            default -> null;
        };
    }
}
