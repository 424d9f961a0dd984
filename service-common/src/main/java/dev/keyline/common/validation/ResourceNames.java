package dev.keyline.common.validation;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one rule for names of certificates and connections, as people write them: letters of any
 * script (with their combining marks), digits, spaces and common punctuation ({@code Partner (prod)},
 * {@code Zahlungen – EU}, {@code Küche & Bad}), starting with a letter or digit, at most
 * {@link ResourceName#MAX_LENGTH} characters after trimming. Refused: control and format characters
 * (bidi overrides make a name read differently than it is), angle brackets, quotes, backslashes and
 * other markup or shell characters that make a name dangerous where it is shown or logged.
 *
 * <p>Both services store {@link #normalize} and keep names unique by {@link #key}: one spelling per
 * name regardless of case or Unicode composition.
 */
public final class ResourceNames {

    /** Punctuation accepted inside a name besides letters, digits and space. */
    static final String PUNCTUATION = "._:-()[],&'+/#@–—";

    private ResourceNames() {
    }

    /** The name as stored: Unicode NFC (one encoding of "é"), surrounding white space removed. Null stays null. */
    public static String normalize(String name) {
        return name == null ? null : Normalizer.normalize(name, Normalizer.Form.NFC).strip();
    }

    /**
     * What uniqueness compares: the normalized name case-folded ({@code Partner}, {@code PARTNER} and
     * {@code partner} are one name; {@code Straße} and {@code STRASSE} too). Locale-independent, so
     * the database index and the application agree whatever the database's collation is.
     */
    public static String key(String name) {
        return normalize(name).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /**
     * The pattern for {@code lower(name) like ?} that finds names containing {@code filter} in any
     * case, with {@code \}, {@code %} and {@code _} escaped by a backslash (PostgreSQL's default
     * LIKE escape), so a filter is always a literal part of the name; null for no filter (null or blank).
     */
    public static String containsPattern(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        return "%" + filter.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** Why {@code raw} is not a valid name (after {@link #normalize}), or null when it is. */
    public static String problem(String raw) {
        if (raw == null) {
            return null;
        }
        // Bounded before any work: a 64 KiB value is refused on its length alone.
        if (raw.length() > 4 * ResourceName.MAX_LENGTH) {
            return "size must be between 1 and " + ResourceName.MAX_LENGTH;
        }
        String name = normalize(raw);
        if (name.isEmpty()) {
            return "must not be blank";
        }
        if (name.codePointCount(0, name.length()) > ResourceName.MAX_LENGTH) {
            return "size must be between 1 and " + ResourceName.MAX_LENGTH;
        }
        if (!Character.isLetterOrDigit(name.codePointAt(0))) {
            return "must start with a letter or digit";
        }
        boolean space = false;
        for (int i = 0; i < name.length();) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            if (c == ' ') {
                if (space) {
                    return "must not contain two spaces in a row";
                }
                space = true;
                continue;
            }
            space = false;
            if (!Character.isLetterOrDigit(c) && !isMark(c) && PUNCTUATION.indexOf(c) < 0) {
                return "letters, digits, spaces and " + PUNCTUATION + " only, starting with a letter or digit";
            }
        }
        return null;
    }

    /** Combining marks belong to the letter before them (Devanagari vowel signs, decomposed accents). */
    private static boolean isMark(int c) {
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
