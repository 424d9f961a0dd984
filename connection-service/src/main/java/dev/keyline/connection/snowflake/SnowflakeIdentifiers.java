package dev.keyline.connection.snowflake;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Snowflake identifiers in SQL text. Everything we put into a statement is double-quoted with
 * embedded quotes doubled, so no name can end the identifier and start SQL of its own.
 */
public final class SnowflakeIdentifiers {

    private static final Pattern UNQUOTED = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private SnowflakeIdentifiers() {
    }

    /** {@code "name"} with every {@code "} doubled: the object named exactly {@code name}. */
    public static String quote(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("identifier must not be empty");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("identifier must not contain control characters");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * The user object a connection's user name refers to, quoted. Snowflake resolves an unquoted
     * name ({@code svc_loader}) upper-cased ({@code SVC_LOADER}); a name that could not be written
     * unquoted ({@code svc.loader-1}) can only be the object of exactly that name.
     */
    public static String user(String user) {
        return object(user);
    }

    /** Any object name (role, warehouse, database) as a connection gives it, resolved like {@link #user} and quoted. */
    public static String object(String name) {
        return quote(objectName(name));
    }

    /** The name of the user object a connection's user name refers to, unquoted (see {@link #user}). */
    public static String objectName(String user) {
        return UNQUOTED.matcher(user).matches() ? user.toUpperCase(Locale.ROOT) : user;
    }

    /**
     * The account as a key-pair login names it, lower-cased: the driver signs its JWT for the account
     * identifier up to the first {@code .} ({@code xy12345.eu-central-1} and {@code XY12345} are both
     * {@code XY12345}), so connections spelling one account these ways log in as one user with one
     * pair of key slots. Wider than "the same account" at worst (one locator in two regions), which
     * makes the lock-out guards stricter, never looser.
     */
    public static String loginAccount(String account) {
        int dot = account.indexOf('.');
        return (dot < 0 ? account : account.substring(0, dot)).toLowerCase(Locale.ROOT);
    }
}
