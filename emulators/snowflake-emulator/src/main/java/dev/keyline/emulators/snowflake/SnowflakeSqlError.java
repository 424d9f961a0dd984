package dev.keyline.emulators.snowflake;

import java.util.Objects;

/**
 * A Snowflake error as the server reports it: a six-digit code, an SQLSTATE and the message.
 * Thrown inside the emulator and turned into the {@code success:false} envelope.
 */
final class SnowflakeSqlError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;
  private final String sqlState;

  SnowflakeSqlError(String code, String sqlState, String message) {
    super(message, null, false, false);
    this.code = Objects.requireNonNull(code);
    this.sqlState = Objects.requireNonNull(sqlState);
  }

  String code() {
    return code;
  }

  String sqlState() {
    return sqlState;
  }

  // ---- the errors Snowflake gives for what the emulator supports ---------------------------

  static SnowflakeSqlError syntax(int line, int position, String unexpected) {
    return new SnowflakeSqlError(
        "001003",
        "42000",
        "SQL compilation error:\nsyntax error line "
            + line
            + " at position "
            + position
            + " unexpected '"
            + unexpected
            + "'.");
  }

  static SnowflakeSqlError emptyStatement() {
    return new SnowflakeSqlError("000900", "42000", "SQL compilation error:\nEmpty SQL statement.");
  }

  static SnowflakeSqlError userDoesNotExist(String user) {
    return new SnowflakeSqlError(
        "002003",
        "02000",
        "SQL compilation error:\nUser '" + user + "' does not exist or not authorized.");
  }

  static SnowflakeSqlError insufficientPrivilegesOnUser(String user) {
    return new SnowflakeSqlError(
        "003001",
        "42501",
        "SQL access control error:\nInsufficient privileges to operate on user '" + user + "'");
  }

  static SnowflakeSqlError roleDoesNotExist(String role) {
    return new SnowflakeSqlError(
        "002003",
        "02000",
        "SQL compilation error:\nRole '" + role + "' does not exist or not authorized.");
  }

  static SnowflakeSqlError databaseDoesNotExist(String database) {
    return new SnowflakeSqlError(
        "002003",
        "02000",
        "SQL compilation error:\nDatabase '" + database + "' does not exist or not authorized.");
  }

  static SnowflakeSqlError objectDoesNotExist() {
    return new SnowflakeSqlError(
        "002043",
        "02000",
        "SQL compilation error:\nObject does not exist, or operation cannot be performed.");
  }

  static SnowflakeSqlError noCurrentDatabase(String what) {
    return new SnowflakeSqlError(
        "090105",
        "22000",
        "Cannot perform SHOW "
            + what
            + ". This session does not have a current database. Call 'USE DATABASE', or use a"
            + " qualified name.");
  }

  /**
   * The emulator's answer to a key Snowflake would not store. The message follows one Snowflake
   * gives for rejected keys; the code is the compilation-error code (the real one is unverified).
   */
  static SnowflakeSqlError invalidPublicKey(String property, String reason) {
    return new SnowflakeSqlError(
        "001003",
        "42000",
        "SQL compilation error:\nNew public key rejected by current policy. Reason: 'Invalid public"
            + " key'. ("
            + property
            + ": "
            + reason
            + ")");
  }

  static SnowflakeSqlError duplicateOption(String property) {
    return new SnowflakeSqlError(
        "001003", "42000", "SQL compilation error:\nduplicate option '" + property + "'.");
  }

  static SnowflakeSqlError internal() {
    return new SnowflakeSqlError(
        "000603",
        "XX000",
        "SQL execution internal error:\nProcessing aborted due to error 300002:2523566535;"
            + " incident 7394720.");
  }

  /** An injected failure with any code: known codes get their usual text. */
  static SnowflakeSqlError injected(String code, String targetUser) {
    return switch (code) {
      case "003001" -> insufficientPrivilegesOnUser(targetUser);
      case "002003" -> userDoesNotExist(targetUser);
      case "000603" -> internal();
      default ->
          new SnowflakeSqlError(
              code, "XX000", "SQL execution error:\nInjected failure (snowflake-emulator).");
    };
  }
}
