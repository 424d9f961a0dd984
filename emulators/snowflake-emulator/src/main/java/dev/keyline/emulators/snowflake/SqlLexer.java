package dev.keyline.emulators.snowflake;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into tokens the way Snowflake reads it: unquoted words are upper-cased
 * identifiers or keywords, {@code "quoted"} identifiers keep their case ({@code ""} is one quote),
 * string literals use single quotes with {@code ''} or backslash escapes, and {@code $$...$$}
 * strings are taken verbatim. Comments ({@code --}, {@code //}, {@code /* *&#47;}) are skipped.
 *
 * <p>Positions are Snowflake's: line numbers from 1, positions within the line from 0.
 */
final class SqlLexer {

  enum Type {
    WORD,
    QUOTED_IDENTIFIER,
    STRING,
    NUMBER,
    SYMBOL,
    EOF
  }

  /**
   * @param text the source text (for WORD, as written; for STRING and QUOTED_IDENTIFIER, the
   *     decoded value)
   */
  record Token(Type type, String text, int line, int position) {

    /** WORD tokens upper-cased, the others as decoded. */
    String value() {
      return type == Type.WORD ? Identifiers.upper(text) : text;
    }

    boolean is(String keyword) {
      return type == Type.WORD && Identifiers.upper(text).equals(keyword);
    }

    boolean isSymbol(String symbol) {
      return type == Type.SYMBOL && text.equals(symbol);
    }

    /** How Snowflake quotes the token in "unexpected '...'". */
    String display() {
      return switch (type) {
        case EOF -> "<EOF>";
        case STRING -> "'" + text + "'";
        case QUOTED_IDENTIFIER -> '"' + text + '"';
        default -> text;
      };
    }
  }

  private final String sql;
  private int index;
  private int line = 1;
  private int lineStart;

  private SqlLexer(String sql) {
    this.sql = sql;
  }

  /**
   * @throws SnowflakeSqlError 001003 for an unterminated literal or a character SQL cannot hold
   */
  static List<Token> tokenize(String sql) {
    return new SqlLexer(sql).run();
  }

  private List<Token> run() {
    List<Token> tokens = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      if (index >= sql.length()) {
        tokens.add(new Token(Type.EOF, "", line, index - lineStart));
        return tokens;
      }
      int startLine = line;
      int startPosition = index - lineStart;
      char c = sql.charAt(index);
      if (Character.isLetter(c) || c == '_') {
        int start = index;
        while (index < sql.length()
            && (Character.isLetterOrDigit(sql.charAt(index))
                || sql.charAt(index) == '_'
                || sql.charAt(index) == '$')) {
          index++;
        }
        tokens.add(new Token(Type.WORD, sql.substring(start, index), startLine, startPosition));
      } else if (Character.isDigit(c)) {
        int start = index;
        while (index < sql.length()
            && (Character.isDigit(sql.charAt(index)) || sql.charAt(index) == '.')) {
          index++;
        }
        tokens.add(new Token(Type.NUMBER, sql.substring(start, index), startLine, startPosition));
      } else if (c == '"') {
        tokens.add(new Token(Type.QUOTED_IDENTIFIER, quotedIdentifier(), startLine, startPosition));
      } else if (c == '\'') {
        tokens.add(new Token(Type.STRING, stringLiteral(), startLine, startPosition));
      } else if (c == '$' && sql.startsWith("$$", index)) {
        int end = sql.indexOf("$$", index + 2);
        if (end < 0) {
          throw eofError();
        }
        String value = sql.substring(index + 2, end);
        advanceTo(end + 2);
        tokens.add(new Token(Type.STRING, value, startLine, startPosition));
      } else if ("=,();.*".indexOf(c) >= 0) {
        index++;
        tokens.add(new Token(Type.SYMBOL, String.valueOf(c), startLine, startPosition));
      } else {
        throw SnowflakeSqlError.syntax(startLine, startPosition, String.valueOf(c));
      }
    }
  }

  private void skipSpaceAndComments() {
    while (index < sql.length()) {
      char c = sql.charAt(index);
      if (c == '\n') {
        index++;
        line++;
        lineStart = index;
      } else if (Character.isWhitespace(c)) {
        index++;
      } else if (sql.startsWith("--", index) || sql.startsWith("//", index)) {
        while (index < sql.length() && sql.charAt(index) != '\n') {
          index++;
        }
      } else if (sql.startsWith("/*", index)) {
        int end = sql.indexOf("*/", index + 2);
        advanceTo(end < 0 ? sql.length() : end + 2);
      } else {
        return;
      }
    }
  }

  /** Moves to {@code target}, counting the line breaks passed. */
  private void advanceTo(int target) {
    while (index < target) {
      if (sql.charAt(index) == '\n') {
        line++;
        lineStart = index + 1;
      }
      index++;
    }
  }

  private String quotedIdentifier() {
    StringBuilder value = new StringBuilder();
    index++;
    while (true) {
      if (index >= sql.length()) {
        throw eofError();
      }
      char c = sql.charAt(index);
      if (c == '"') {
        if (index + 1 < sql.length() && sql.charAt(index + 1) == '"') {
          value.append('"');
          index += 2;
          continue;
        }
        index++;
        if (value.isEmpty()) {
          throw SnowflakeSqlError.syntax(line, index - lineStart - 2, "\"\"");
        }
        return value.toString();
      }
      if (c == '\n') {
        line++;
        lineStart = index + 1;
      }
      value.append(c);
      index++;
    }
  }

  private String stringLiteral() {
    StringBuilder value = new StringBuilder();
    index++;
    while (true) {
      if (index >= sql.length()) {
        throw eofError();
      }
      char c = sql.charAt(index);
      if (c == '\'') {
        if (index + 1 < sql.length() && sql.charAt(index + 1) == '\'') {
          value.append('\'');
          index += 2;
          continue;
        }
        index++;
        return value.toString();
      }
      if (c == '\\' && index + 1 < sql.length()) {
        index++;
        value.append(escape(sql.charAt(index)));
        index++;
        continue;
      }
      if (c == '\n') {
        line++;
        lineStart = index + 1;
      }
      value.append(c);
      index++;
    }
  }

  private static char escape(char c) {
    return switch (c) {
      case 'n' -> '\n';
      case 't' -> '\t';
      case 'r' -> '\r';
      case 'b' -> '\b';
      case 'f' -> '\f';
      case '0' -> '\0';
      default -> c;
    };
  }

  private SnowflakeSqlError eofError() {
    return SnowflakeSqlError.syntax(line, sql.length() - lineStart, "<EOF>");
  }
}
