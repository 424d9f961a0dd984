package dev.keyline.emulators.vault;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations the way Vault does ({@code "0s"}, {@code "1h30m0s"}, or plain
 * seconds).
 *
 * <p>Why: {@code delete_version_after} is reported as Go's {@code time.Duration.String()}; clients
 * and tests compare that text, so {@code PT1H} would be a visible difference.
 */
final class GoDuration {

  private static final Pattern UNIT = Pattern.compile("(\\d+)(h|m|s|ms)");

  private GoDuration() {}

  /** Whole seconds as text, or a Go duration string; {@code null} when neither. */
  static Duration parse(String text) {
    String trimmed = text.trim();
    if (trimmed.matches("-?\\d+")) {
      return Duration.ofSeconds(Long.parseLong(trimmed));
    }
    boolean negative = trimmed.startsWith("-");
    String rest = negative ? trimmed.substring(1) : trimmed;
    if (rest.isEmpty()) {
      return null;
    }
    Matcher matcher = UNIT.matcher(rest);
    Duration total = Duration.ZERO;
    int end = 0;
    while (matcher.find()) {
      if (matcher.start() != end) {
        return null;
      }
      long amount = Long.parseLong(matcher.group(1));
      total =
          total.plus(
              switch (matcher.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
              });
      end = matcher.end();
    }
    if (end != rest.length()) {
      return null;
    }
    return negative ? total.negated() : total;
  }

  /** Go's {@code Duration.String()} for whole seconds. */
  static String format(Duration duration) {
    if (duration == null || duration.isZero()) {
      return "0s";
    }
    String sign = duration.isNegative() ? "-" : "";
    long seconds = Math.abs(duration.getSeconds());
    long hours = seconds / 3600;
    long minutes = (seconds % 3600) / 60;
    long secs = seconds % 60;
    if (hours > 0) {
      return sign + hours + "h" + minutes + "m" + secs + "s";
    }
    if (minutes > 0) {
      return sign + minutes + "m" + secs + "s";
    }
    return sign + secs + "s";
  }
}
