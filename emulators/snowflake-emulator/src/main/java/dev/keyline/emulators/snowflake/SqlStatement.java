package dev.keyline.emulators.snowflake;

import java.util.List;
import java.util.Map;

/** The statements the emulator understands, as parsed by {@link SqlParser}. */
sealed interface SqlStatement {

  /** Snowflake's statementTypeId for the answer. */
  long statementTypeId();

  long SELECT = 0x1000;
  long USE = 0x4000 + 0x300;
  long USE_WAREHOUSE = 0x4000 + 0x300 + 0x03;
  long USE_DATABASE = 0x4000 + 0x300 + 0x01;
  long USE_SCHEMA = 0x4000 + 0x300 + 0x02;
  long SHOW = 0x4000 + 0x400;
  long DESCRIBE = 0x4000 + 0x500;
  /** In the DDL range 0x6000-0x6FFF: the driver treats it as DDL (executeUpdate returns 0). */
  long ALTER_USER = 0x6000 + 0x200;

  /** Key-slot properties of ALTER USER. */
  List<String> KEY_PROPERTIES = List.of("RSA_PUBLIC_KEY", "RSA_PUBLIC_KEY_2");

  /** {@code ALTER USER [IF EXISTS] u SET RSA_PUBLIC_KEY='…' [RSA_PUBLIC_KEY_2='…']}. */
  record AlterUserSet(boolean ifExists, String user, Map<String, String> properties)
      implements SqlStatement {
    @Override
    public long statementTypeId() {
      return ALTER_USER;
    }
  }

  /** {@code ALTER USER [IF EXISTS] u UNSET RSA_PUBLIC_KEY[, RSA_PUBLIC_KEY_2]}. */
  record AlterUserUnset(boolean ifExists, String user, List<String> properties)
      implements SqlStatement {
    @Override
    public long statementTypeId() {
      return ALTER_USER;
    }
  }

  /** {@code DESC[RIBE] USER u}. */
  record DescribeUser(String user) implements SqlStatement {
    @Override
    public long statementTypeId() {
      return DESCRIBE;
    }
  }

  /**
   * {@code SELECT item, …} without FROM.
   *
   * @param items functions ({@code CURRENT_USER} …) or number literals
   */
  record Select(List<SelectItem> items) implements SqlStatement {
    @Override
    public long statementTypeId() {
      return SELECT;
    }
  }

  /**
   * @param function upper-cased function name, or {@code null} for a number literal
   * @param literal the number literal, or {@code null}
   * @param column the result column name (alias, or the expression as Snowflake names it)
   */
  record SelectItem(String function, String literal, String column) {}

  /** {@code SHOW DATABASES [LIKE 'p']}. */
  record ShowDatabases(String like) implements SqlStatement {
    @Override
    public long statementTypeId() {
      return SHOW;
    }
  }

  /**
   * {@code SHOW SCHEMAS [LIKE 'p'] [IN ACCOUNT | IN [DATABASE] d]}.
   *
   * @param inAccount {@code IN ACCOUNT}
   * @param database the database named, or {@code null} for the current one
   */
  record ShowSchemas(String like, boolean inAccount, String database) implements SqlStatement {
    @Override
    public long statementTypeId() {
      return SHOW;
    }
  }

  /** {@code USE ROLE r}, {@code USE WAREHOUSE w}, {@code USE [DATABASE] d}, {@code USE SCHEMA [d.]s}. */
  record Use(Kind kind, String database, String name) implements SqlStatement {
    enum Kind {
      ROLE,
      WAREHOUSE,
      DATABASE,
      SCHEMA
    }

    @Override
    public long statementTypeId() {
      return switch (kind) {
        case ROLE -> USE;
        case WAREHOUSE -> USE_WAREHOUSE;
        case DATABASE -> USE_DATABASE;
        case SCHEMA -> USE_SCHEMA;
      };
    }
  }
}
