package dev.keyline.common.http;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

import dev.keyline.common.problem.ProblemException;

/**
 * Query parameters that are not plain numbers, read as text and converted here. Why not let
 * Quarkus REST convert them into an enum or {@link Instant} parameter: a value it cannot convert
 * becomes a 404 "No such resource" (the JAX-RS rule for parameter conversion), which names no
 * parameter; here the caller gets a 400 naming the parameter and what it must look like.
 */
public final class QueryValues {

    /** Longer than any ISO-8601 instant: refused on its length before parsing. */
    private static final int MAX_INSTANT_LENGTH = 40;
    /**
     * The instants a filter may name: years 0001 to 9999, what an ISO-8601 date writes without a
     * sign. PostgreSQL's timestamptz holds more (4713 BC to 294276 AD) but not what {@link Instant}
     * holds (years -1,000,000,000 to 1,000,000,000): such a bound failed the query with a 500.
     */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private QueryValues() {
    }

    /**
     * An ISO-8601 instant ({@code 2026-01-31T00:00:00Z}); null when absent or blank.
     *
     * @throws ProblemException 400 naming {@code field} otherwise
     */
    public static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_INSTANT_LENGTH) {
            throw ProblemException.invalidField(field, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
        Instant instant;
        try {
            instant = Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ProblemException.invalidField(field,
                    "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z");
        }
        return instant;
    }

    /**
     * Free text for a filter ({@code name}, {@code actor}, …), as sent; null when absent. A control
     * character (U+0000 to U+001F, U+007F) is in no name, actor, action or id, and PostgreSQL cannot
     * even hold U+0000 in a text parameter: the query failed with a 500.
     *
     * @throws ProblemException 400 naming {@code field} when the value holds a control character
     */
    public static String text(String field, String value) {
        if (value != null && value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ProblemException.invalidField(field, "must not contain control characters");
        }
        return value;
    }

    /**
     * One of {@code type}'s constants, in any case; null when absent or blank.
     *
     * @throws ProblemException 400 naming {@code field} and listing the constants otherwise
     */
    public static <E extends Enum<E>> E oneOf(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(field, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /**
     * {@code true} or {@code false}, in any case; null when absent or blank. JAX-RS reads a
     * {@code Boolean} parameter with {@link Boolean#valueOf}, so {@code enabled=yes} filtered on false.
     *
     * @throws ProblemException 400 naming {@code field} otherwise
     */
    public static Boolean bool(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ProblemException.invalidField(field, "must be true or false");
        };
    }
}
