package dev.keyline.emulators.snowflake;

import java.util.List;
import java.util.Locale;

/**
 * Which driver request a targeted fault applies to: one whose description contains every fragment,
 * ignoring case. The description is the SQL text of a statement and {@code LOGIN <ACCOUNT_NAME>
 * <LOGIN_NAME>} for a login.
 */
record RequestPattern(List<String> fragments) {

  RequestPattern {
    if (fragments == null
        || fragments.isEmpty()
        || fragments.stream().anyMatch(f -> f == null || f.isBlank())) {
      throw new IllegalArgumentException("at least one non-blank fragment is required: " + fragments);
    }
    fragments = fragments.stream().map(f -> f.toUpperCase(Locale.ROOT)).toList();
  }

  boolean matches(String description) {
    String upper = description.toUpperCase(Locale.ROOT);
    return fragments.stream().allMatch(upper::contains);
  }

  static String login(String accountName, String loginName) {
    return "LOGIN " + accountName + " " + loginName;
  }
}
