package dev.keyline.emulators.vault;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Formats timestamps as Vault does (RFC 3339 in UTC with trailing zeros of the fraction dropped)
 * and as {@code ""} when absent.
 *
 * <p>Why: {@code deletion_time} is the empty string, not {@code null}, for a live version; clients
 * test for that exact value.
 */
final class VaultTime {

  private static final DateTimeFormatter RFC3339_NANO =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .appendLiteral('Z')
          .toFormatter()
          .withZone(ZoneOffset.UTC);

  private VaultTime() {}

  static String format(Instant instant) {
    return instant == null ? "" : RFC3339_NANO.format(instant);
  }
}
