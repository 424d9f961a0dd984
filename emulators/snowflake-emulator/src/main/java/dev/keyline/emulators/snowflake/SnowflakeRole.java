package dev.keyline.emulators.snowflake;

/**
 * A live handle on one role of an emulated account: what it inherits and which users' keys it may
 * change. Obtained from {@link SnowflakeAccount#role(String)}.
 */
public final class SnowflakeRole {

  private final Backend backend;
  private final String account;
  private final String name;

  SnowflakeRole(Backend backend, String account, String name) {
    this.backend = backend;
    this.account = account;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Grants these roles to this role (it inherits their privileges); they must exist. */
  public SnowflakeRole inherits(String... roles) {
    backend.locked(
        () -> {
          Account a = backend.account(account);
          for (String role : roles) {
            String normalized = Identifiers.normalize(role);
            if (!a.roles.containsKey(normalized)) {
              throw new IllegalArgumentException("no role " + normalized + " in account " + account);
            }
            a.roles.get(name).inheritedRoles.add(normalized);
          }
          return null;
        });
    return this;
  }

  /** Transfers OWNERSHIP of these users to this role. */
  public SnowflakeRole owns(String... users) {
    backend.locked(
        () -> {
          for (String user : users) {
            backend.user(account, user).ownerRole = name;
          }
          return null;
        });
    return this;
  }

  /** GRANT MODIFY PROGRAMMATIC AUTHENTICATION METHODS ON USER u TO ROLE this. */
  public SnowflakeRole modifyProgrammaticAuthenticationMethodsOn(String... users) {
    backend.locked(
        () -> {
          for (String user : users) {
            User target = backend.user(account, user);
            backend.account(account).roles.get(name).modifyProgrammaticAuthenticationMethodsOnUsers.add(target.name);
          }
          return null;
        });
    return this;
  }

  /** GRANT MODIFY PROGRAMMATIC AUTHENTICATION METHODS ON ACCOUNT TO ROLE this. */
  public SnowflakeRole modifyProgrammaticAuthenticationMethodsOnAccount() {
    backend.locked(
        () -> backend.account(account).roles.get(name).modifyProgrammaticAuthenticationMethodsOnAccount = true);
    return this;
  }
}
