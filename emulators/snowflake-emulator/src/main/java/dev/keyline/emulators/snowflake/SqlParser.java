package dev.keyline.emulators.snowflake;

import dev.keyline.emulators.snowflake.SqlLexer.Token;
import dev.keyline.emulators.snowflake.SqlLexer.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small recursive-descent parser for the statements the emulator supports. Anything else fails
 * the way Snowflake reports a syntax error: {@code 001003 SQL compilation error: syntax error line
 * L at position P unexpected 'X'.}, naming the first token that does not fit.
 *
 * <p>Why hand-written: the subset is tiny, and the errors must name line, position and token as
 * Snowflake does.
 */
final class SqlParser {

  static final Set<String> FUNCTIONS =
      Set.of(
          "CURRENT_USER",
          "CURRENT_ROLE",
          "CURRENT_ACCOUNT",
          "CURRENT_ACCOUNT_NAME",
          "CURRENT_WAREHOUSE",
          "CURRENT_DATABASE",
          "CURRENT_SCHEMA",
          "CURRENT_VERSION",
          "CURRENT_SESSION");

  /** Words that end a select item, so they are not taken as an alias without AS. */
  private static final Set<String> RESERVED =
      Set.of("FROM", "WHERE", "LIMIT", "ORDER", "GROUP", "UNION", "HAVING", "AS");

  private final List<Token> tokens;
  private int index;

  private SqlParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /**
   * @throws SnowflakeSqlError 000900 for an empty statement, 001003 for anything unsupported
   */
  static SqlStatement parse(String sql) {
    List<Token> tokens = SqlLexer.tokenize(sql == null ? "" : sql);
    SqlParser parser = new SqlParser(tokens);
    if (parser.peek().type() == Type.EOF
        || (parser.peek().isSymbol(";") && tokens.size() == 2)) {
      throw SnowflakeSqlError.emptyStatement();
    }
    SqlStatement statement = parser.statement();
    if (parser.peek().isSymbol(";")) {
      parser.index++;
    }
    parser.expectEof();
    return statement;
  }

  private SqlStatement statement() {
    Token first = peek();
    if (first.is("ALTER")) {
      return alter();
    }
    if (first.is("DESC") || first.is("DESCRIBE")) {
      index++;
      expectKeyword("USER");
      return new SqlStatement.DescribeUser(identifier());
    }
    if (first.is("SELECT")) {
      return select();
    }
    if (first.is("SHOW")) {
      return show();
    }
    if (first.is("USE")) {
      return use();
    }
    throw unexpected(first);
  }

  private SqlStatement alter() {
    index++;
    expectKeyword("USER");
    boolean ifExists = false;
    if (peek().is("IF") && peek(1).is("EXISTS")) {
      index += 2;
      ifExists = true;
    }
    String user = identifier();
    Token action = next();
    if (action.is("SET")) {
      Map<String, String> properties = new LinkedHashMap<>();
      do {
        if (peek().isSymbol(",") && !properties.isEmpty()) {
          index++;
        }
        Token property = next();
        if (!isKeyProperty(property)) {
          throw unexpected(property);
        }
        if (properties.containsKey(property.value())) {
          throw SnowflakeSqlError.duplicateOption(property.value());
        }
        expectSymbol("=");
        Token value = next();
        if (value.type() != Type.STRING) {
          throw unexpected(value);
        }
        properties.put(property.value(), value.text());
      } while (isKeyProperty(peek()) || (peek().isSymbol(",") && isKeyProperty(peek(1))));
      return new SqlStatement.AlterUserSet(ifExists, user, properties);
    }
    if (action.is("UNSET")) {
      List<String> properties = new ArrayList<>();
      do {
        if (peek().isSymbol(",") && !properties.isEmpty()) {
          index++;
        }
        Token property = next();
        if (!isKeyProperty(property)) {
          throw unexpected(property);
        }
        if (properties.contains(property.value())) {
          throw SnowflakeSqlError.duplicateOption(property.value());
        }
        properties.add(property.value());
      } while (isKeyProperty(peek()) || (peek().isSymbol(",") && isKeyProperty(peek(1))));
      return new SqlStatement.AlterUserUnset(ifExists, user, properties);
    }
    throw unexpected(action);
  }

  private static boolean isKeyProperty(Token token) {
    return token.type() == Type.WORD && SqlStatement.KEY_PROPERTIES.contains(token.value());
  }

  private SqlStatement select() {
    index++;
    List<SqlStatement.SelectItem> items = new ArrayList<>();
    do {
      if (!items.isEmpty()) {
        index++;
      }
      items.add(selectItem());
    } while (peek().isSymbol(","));
    return new SqlStatement.Select(items);
  }

  private SqlStatement.SelectItem selectItem() {
    Token token = next();
    String function = null;
    String literal = null;
    String column;
    if (token.type() == Type.NUMBER && token.text().matches("\\d+")) {
      literal = token.text();
      column = literal;
    } else if (token.type() == Type.WORD && FUNCTIONS.contains(token.value())) {
      expectSymbol("(");
      expectSymbol(")");
      function = token.value();
      column = function + "()";
    } else {
      throw unexpected(token);
    }
    if (peek().is("AS")) {
      index++;
      column = alias(next());
    } else if ((peek().type() == Type.WORD && !RESERVED.contains(peek().value()))
        || peek().type() == Type.QUOTED_IDENTIFIER) {
      column = alias(next());
    }
    return new SqlStatement.SelectItem(function, literal, column);
  }

  private String alias(Token token) {
    if (token.type() == Type.WORD || token.type() == Type.QUOTED_IDENTIFIER) {
      return token.value();
    }
    throw unexpected(token);
  }

  private SqlStatement show() {
    index++;
    if (peek().is("TERSE")) {
      index++;
    }
    Token what = next();
    if (what.is("DATABASES")) {
      return new SqlStatement.ShowDatabases(like());
    }
    if (what.is("SCHEMAS")) {
      String like = like();
      if (peek().is("IN")) {
        index++;
        if (peek().is("ACCOUNT")) {
          index++;
          return new SqlStatement.ShowSchemas(like, true, null);
        }
        if (peek().is("DATABASE")) {
          index++;
          if (peek().type() == Type.EOF || peek().isSymbol(";")) {
            return new SqlStatement.ShowSchemas(like, false, null);
          }
        }
        return new SqlStatement.ShowSchemas(like, false, identifier());
      }
      return new SqlStatement.ShowSchemas(like, false, null);
    }
    throw unexpected(what);
  }

  private String like() {
    if (!peek().is("LIKE")) {
      return null;
    }
    index++;
    Token pattern = next();
    if (pattern.type() != Type.STRING) {
      throw unexpected(pattern);
    }
    return pattern.text();
  }

  private SqlStatement use() {
    index++;
    Token kind = peek();
    if (kind.is("ROLE")) {
      index++;
      return new SqlStatement.Use(SqlStatement.Use.Kind.ROLE, null, identifier());
    }
    if (kind.is("WAREHOUSE")) {
      index++;
      return new SqlStatement.Use(SqlStatement.Use.Kind.WAREHOUSE, null, identifier());
    }
    if (kind.is("SCHEMA")) {
      index++;
      String first = identifier();
      if (peek().isSymbol(".")) {
        index++;
        return new SqlStatement.Use(SqlStatement.Use.Kind.SCHEMA, first, identifier());
      }
      return new SqlStatement.Use(SqlStatement.Use.Kind.SCHEMA, null, first);
    }
    if (kind.is("DATABASE")) {
      index++;
    }
    return new SqlStatement.Use(SqlStatement.Use.Kind.DATABASE, null, identifier());
  }

  /** An unquoted word (upper-cased), a quoted identifier (as is) or {@code IDENTIFIER('…')}. */
  private String identifier() {
    Token token = next();
    if (token.type() == Type.QUOTED_IDENTIFIER) {
      return token.text();
    }
    if (token.type() == Type.WORD) {
      if (token.is("IDENTIFIER") && peek().isSymbol("(")) {
        index++;
        Token name = next();
        String value;
        if (name.type() == Type.STRING) {
          try {
            value = Identifiers.normalize(name.text());
          } catch (IllegalArgumentException e) {
            throw unexpected(name);
          }
        } else {
          throw unexpected(name);
        }
        expectSymbol(")");
        return value;
      }
      return token.value();
    }
    throw unexpected(token);
  }

  private void expectKeyword(String keyword) {
    Token token = next();
    if (!token.is(keyword)) {
      throw unexpected(token);
    }
  }

  private void expectSymbol(String symbol) {
    Token token = next();
    if (!token.isSymbol(symbol)) {
      throw unexpected(token);
    }
  }

  private void expectEof() {
    Token token = peek();
    if (token.type() != Type.EOF) {
      throw unexpected(token);
    }
  }

  private Token peek() {
    return peek(0);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(index + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token token = peek();
    if (index < tokens.size() - 1) {
      index++;
    }
    return token;
  }

  private static SnowflakeSqlError unexpected(Token token) {
    return SnowflakeSqlError.syntax(token.line(), token.position(), token.display());
  }
}
