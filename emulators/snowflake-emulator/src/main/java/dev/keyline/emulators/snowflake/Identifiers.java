package dev.keyline.emulators.snowflake;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Snowflake's identifier rules, shared by the SQL parser, the seed file and the Java API: an
 * unquoted identifier is stored upper-cased, a double-quoted one exactly as written (with {@code
 * ""} standing for one {@code "}).
 *
 * <p>Why the API and the seed follow the same rule as SQL: {@code user("svc_a")} then names the
 * same user as {@code ALTER USER svc_a}, and {@code user("\"svc_a\"")} the one {@code ALTER USER
 * "svc_a"} names, so tests read like the SQL they exercise.
 */
final class Identifiers {

  private static final Pattern UNQUOTED = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

  private Identifiers() {}

  /**
   * @throws IllegalArgumentException for blank names, unterminated quotes and unquoted names with
   *     characters an unquoted Snowflake identifier cannot hold
   */
  static String normalize(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("identifier must not be blank");
    }
    String text = raw.trim();
    if (text.startsWith("\"")) {
      if (text.length() < 3 || !text.endsWith("\"")) {
        throw new IllegalArgumentException("bad quoted identifier: " + raw);
      }
      String inner = text.substring(1, text.length() - 1);
      if (inner.replace("\"\"", "").contains("\"")) {
        throw new IllegalArgumentException("bad quoted identifier: " + raw);
      }
      return inner.replace("\"\"", "\"");
    }
    if (!UNQUOTED.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "'" + raw + "' is not an unquoted identifier; quote it with double quotes");
    }
    return upper(text);
  }

  /** Account names and login names: case-insensitive, compared upper-cased. */
  static String upper(String text) {
    return text.toUpperCase(Locale.ROOT);
  }

  /** How SHOW and error messages would print a stored name in SQL: quoted unless it needs none. */
  static String sql(String stored) {
    if (stored.equals(upper(stored)) && UNQUOTED.matcher(stored).matches()) {
      return stored;
    }
    return '"' + stored.replace("\"", "\"\"") + '"';
  }
}
