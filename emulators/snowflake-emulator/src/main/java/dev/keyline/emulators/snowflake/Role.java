package dev.keyline.emulators.snowflake;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A role of one account: the roles it inherits (granted to it) and its privileges on users.
 * Ownership of a user is kept on the user ({@link User#ownerRole}) because it is unique.
 */
final class Role {

  final String name;
  final Instant createdOn;
  final Set<String> inheritedRoles = new LinkedHashSet<>();
  final Set<String> modifyProgrammaticAuthenticationMethodsOnUsers = new LinkedHashSet<>();
  boolean modifyProgrammaticAuthenticationMethodsOnAccount;

  Role(String name, Instant createdOn) {
    this.name = name;
    this.createdOn = createdOn;
  }
}
