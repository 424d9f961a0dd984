package dev.keyline.emulators.snowflake;

import java.time.Instant;

/** A logged-in session. Guarded by the state's lock. */
final class Session {

  final long id;
  final Account account;
  final User user;
  final String masterToken;
  final Instant masterExpiresAt;
  String token;
  Instant tokenExpiresAt;
  String role;
  String warehouse;
  String database;
  String schema;
  boolean closed;

  Session(
      long id,
      Account account,
      User user,
      String token,
      Instant tokenExpiresAt,
      String masterToken,
      Instant masterExpiresAt) {
    this.id = id;
    this.account = account;
    this.user = user;
    this.token = token;
    this.tokenExpiresAt = tokenExpiresAt;
    this.masterToken = masterToken;
    this.masterExpiresAt = masterExpiresAt;
  }
}
