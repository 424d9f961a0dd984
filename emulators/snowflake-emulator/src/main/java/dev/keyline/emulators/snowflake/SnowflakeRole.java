package dev.keyline.emulators.snowflake;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A live handle on one role of an emulated account: what it inherits, which users' keys it may
 * change and which warehouses and databases it may use. Obtained from {@link SnowflakeAccount#role(String)}.
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
    return change(
        a -> {
          for (String role : roles) {
            Role inherited = a.existing(a.roles, "role", Identifiers.normalize(role));
            a.roles.get(name).inheritedRoles.add(inherited.name);
          }
        });
  }

  /** GRANT USAGE ON WAREHOUSE w TO ROLE this, for each (existing) warehouse. */
  public SnowflakeRole usageOnWarehouse(String... warehouses) {
    return change(
        a -> {
          for (String warehouse : warehouses) {
            a.existing(a.warehouses, "warehouse", Identifiers.normalize(warehouse)).usage.add(name);
          }
        });
  }

  /**
   * GRANT USAGE ON DATABASE d TO ROLE this, and GRANT USAGE ON SCHEMA d.s for each schema named
   * (the database and the schemas must exist). USAGE on the database alone opens only its
   * INFORMATION_SCHEMA.
   */
  public SnowflakeRole usageOnDatabase(String database, String... schemas) {
    return change(
        a -> {
          Account.Database target =
              a.existing(a.databases, "database", Identifiers.normalize(database));
          List<Account.Schema> granted = new ArrayList<>();
          for (String schema : schemas) {
            granted.add(
                Account.existing(
                    target.schemas, "schema", Identifiers.normalize(schema), "database " + target.name));
          }
          target.usage.add(name);
          granted.forEach(schema -> schema.usage.add(name));
        });
  }

  /** Applies {@code change} to the role's account under the state's lock. */
  private SnowflakeRole change(Consumer<Account> change) {
    backend.locked(
        () -> {
          change.accept(backend.account(account));
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
