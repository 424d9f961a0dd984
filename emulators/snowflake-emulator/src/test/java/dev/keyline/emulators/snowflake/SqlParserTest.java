package dev.keyline.emulators.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlParserTest {

  private static SnowflakeSqlError error(String sql) {
    try {
      SqlParser.parse(sql);
    } catch (SnowflakeSqlError e) {
      return e;
    }
    throw new AssertionError("parsed: " + sql);
  }

  @Test
  void identifiersAreUpperCasedUnlessQuoted() {
    assertThat(SqlParser.parse("desc user svc_a")).isEqualTo(new SqlStatement.DescribeUser("SVC_A"));
    assertThat(SqlParser.parse("DESCRIBE USER \"svc_a\"")).isEqualTo(new SqlStatement.DescribeUser("svc_a"));
    assertThat(SqlParser.parse("DESC USER \"we\"\"ird name\""))
        .isEqualTo(new SqlStatement.DescribeUser("we\"ird name"));
    assertThat(SqlParser.parse("DESC USER IDENTIFIER('svc_b')")).isEqualTo(new SqlStatement.DescribeUser("SVC_B"));
    assertThat(SqlParser.parse("DESC USER IDENTIFIER('\"svc_b\"')")).isEqualTo(new SqlStatement.DescribeUser("svc_b"));
  }

  @Test
  void stringLiteralsUnescapeQuotesAndBackslashesAndDollarQuotesAreVerbatim() {
    assertThat(SqlParser.parse("ALTER USER u SET RSA_PUBLIC_KEY='it''s\\nkey\\\\'"))
        .isEqualTo(new SqlStatement.AlterUserSet(false, "U", Map.of("RSA_PUBLIC_KEY", "it's\nkey\\")));
    assertThat(SqlParser.parse("alter user if exists u set rsa_public_key_2 = $$a\\nb$$;"))
        .isEqualTo(new SqlStatement.AlterUserSet(true, "U", Map.of("RSA_PUBLIC_KEY_2", "a\\nb")));
  }

  @Test
  void severalPropertiesWithOrWithoutCommas() {
    SqlStatement.AlterUserSet set =
        (SqlStatement.AlterUserSet)
            SqlParser.parse("ALTER USER u SET RSA_PUBLIC_KEY='a', RSA_PUBLIC_KEY_2='b'");
    assertThat(set.properties()).containsExactly(Map.entry("RSA_PUBLIC_KEY", "a"), Map.entry("RSA_PUBLIC_KEY_2", "b"));
    assertThat(SqlParser.parse("ALTER USER u UNSET RSA_PUBLIC_KEY_2 RSA_PUBLIC_KEY"))
        .isEqualTo(new SqlStatement.AlterUserUnset(false, "U", List.of("RSA_PUBLIC_KEY_2", "RSA_PUBLIC_KEY")));
    assertThat(error("ALTER USER u SET RSA_PUBLIC_KEY='a' RSA_PUBLIC_KEY='b'").getMessage())
        .contains("duplicate option 'RSA_PUBLIC_KEY'");
  }

  @Test
  void selectItemsGetSnowflakeColumnNames() {
    SqlStatement.Select select =
        (SqlStatement.Select)
            SqlParser.parse("select current_role(), Current_User() as u, current_account() \"Acc\", 1 -- trailing comment");
    assertThat(select.items())
        .extracting(SqlStatement.SelectItem::column)
        .containsExactly("CURRENT_ROLE()", "U", "Acc", "1");
    assertThat(select.items()).extracting(SqlStatement.SelectItem::function)
        .containsExactly("CURRENT_ROLE", "CURRENT_USER", "CURRENT_ACCOUNT", null);
  }

  @Test
  void showAndUseForms() {
    assertThat(SqlParser.parse("SHOW TERSE DATABASES LIKE 'A%'")).isEqualTo(new SqlStatement.ShowDatabases("A%"));
    assertThat(SqlParser.parse("show schemas in database analytics"))
        .isEqualTo(new SqlStatement.ShowSchemas(null, false, "ANALYTICS"));
    assertThat(SqlParser.parse("SHOW SCHEMAS IN ACCOUNT")).isEqualTo(new SqlStatement.ShowSchemas(null, true, null));
    assertThat(SqlParser.parse("USE SCHEMA db.\"s\""))
        .isEqualTo(new SqlStatement.Use(SqlStatement.Use.Kind.SCHEMA, "DB", "s"));
    assertThat(SqlParser.parse("use analytics"))
        .isEqualTo(new SqlStatement.Use(SqlStatement.Use.Kind.DATABASE, null, "ANALYTICS"));
  }

  @Test
  void syntaxErrorsNameLinePositionAndToken() {
    SnowflakeSqlError garbage = error("DROP TABLE t");
    assertThat(garbage.code()).isEqualTo("001003");
    assertThat(garbage.sqlState()).isEqualTo("42000");
    assertThat(garbage.getMessage())
        .isEqualTo("SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'DROP'.");
    assertThat(error("SELECT *").getMessage()).contains("line 1 at position 7 unexpected '*'");
    assertThat(error("SELECT 1\nFROM t").getMessage()).contains("line 2 at position 0 unexpected 'FROM'");
    assertThat(error("ALTER USER u SET RSA_PUBLIC_KEY=").getMessage()).contains("unexpected '<EOF>'");
    assertThat(error("ALTER USER u SET RSA_PUBLIC_KEY='open").getMessage()).contains("unexpected '<EOF>'");
    assertThat(error("SELECT 1 # 2").getMessage()).contains("position 9 unexpected '#'");
    assertThat(error("SELECT 1; SELECT 2").getMessage()).contains("unexpected 'SELECT'");
    assertThat(error("DESC USER ?").getMessage()).contains("unexpected '?'");
  }

  @Test
  void anEmptyStatementHasItsOwnError() {
    assertThat(error("  -- nothing\n").code()).isEqualTo("000900");
    assertThat(error(";").code()).isEqualTo("000900");
  }

  @Test
  void identifierNormalizationForTheApi() {
    assertThat(Identifiers.normalize("svc_a")).isEqualTo("SVC_A");
    assertThat(Identifiers.normalize("\"svc_a\"")).isEqualTo("svc_a");
    assertThat(Identifiers.sql("svc_a")).isEqualTo("\"svc_a\"");
    assertThat(Identifiers.sql("SVC_A")).isEqualTo("SVC_A");
    assertThatThrownBy(() -> Identifiers.normalize("has space")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Identifiers.normalize("\"\"")).isInstanceOf(IllegalArgumentException.class);
  }
}
