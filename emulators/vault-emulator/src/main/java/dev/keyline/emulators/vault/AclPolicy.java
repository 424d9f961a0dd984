package dev.keyline.emulators.vault;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A named ACL policy read from the subset of Vault's policy HCL that the emulator enforces:
 *
 * <pre>
 * # comment (also // and /* *&#47;)
 * path "secret/data/app/*" {
 *   capabilities = ["create", "read", "update", "delete", "list", "patch", "deny"]
 * }
 * </pre>
 *
 * <p>Why refuse everything else (parameter constraints, wrapping TTLs, {@code sudo}, templated
 * paths, the old {@code policy = "write"} form, JSON): a rule the emulator ignored would make it
 * more permissive or more strict than Vault without anyone noticing. A refused file fails the
 * start with the file, the line and what was found.
 *
 * @param rules path pattern to capabilities, in file order; a pattern given twice has the union
 */
record AclPolicy(String name, Map<String, Set<Capability>> rules) {

  /** The part of Vault's built-in {@code default} policy that covers endpoints the emulator serves. */
  static final AclPolicy DEFAULT =
      new AclPolicy(
          "default",
          Map.of(
              "auth/token/lookup-self", EnumSet.of(Capability.READ),
              "auth/token/renew-self", EnumSet.of(Capability.UPDATE)));

  AclPolicy {
    Map<String, Set<Capability>> copy = new LinkedHashMap<>();
    rules.forEach((path, caps) -> copy.put(path, Set.copyOf(caps)));
    rules = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * Parses {@code text}.
   *
   * @param source where the text came from, for error messages (a file name)
   * @throws IllegalArgumentException naming source and line for anything outside the subset
   */
  static AclPolicy parse(String name, String text, String source) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("policy name must not be blank (" + source + ")");
    }
    if (name.equals("root") || name.equals("default")) {
      throw new IllegalArgumentException(
          "policy name \"" + name + "\" is built in and cannot be replaced (" + source + ")");
    }
    return new AclPolicy(name, new Parser(text, "policy \"" + name + "\" (" + source + ")").policy());
  }

  /** Recursive descent over the subset; tokens are words, strings and single punctuation. */
  private static final class Parser {
    private final String text;
    private final String where;
    private int pos;

    Parser(String text, String where) {
      this.text = text;
      this.where = where;
    }

    Map<String, Set<Capability>> policy() {
      Map<String, Set<Capability>> rules = new LinkedHashMap<>();
      skipSpaceAndComments();
      if (pos < text.length() && text.charAt(pos) == '{') {
        throw fail("JSON policies are not supported by vault-emulator, only HCL");
      }
      while (pos < text.length()) {
        int blockLine = line();
        String keyword = word();
        if (!keyword.equals("path")) {
          throw fail(unsupported(keyword));
        }
        String path = pattern(string());
        expect('{');
        Set<Capability> caps = null;
        while (!peek('}')) {
          String attribute = word();
          if (!attribute.equals("capabilities")) {
            throw fail(unsupported(attribute));
          }
          if (caps != null) {
            throw fail("capabilities given twice for path \"" + path + "\"");
          }
          expect('=');
          caps = capabilities(path);
        }
        expect('}');
        if (caps == null) {
          throw failAt(blockLine, "path \"" + path + "\" has no capabilities");
        }
        rules.computeIfAbsent(path, p -> EnumSet.noneOf(Capability.class)).addAll(caps);
        skipSpaceAndComments();
      }
      if (rules.isEmpty()) {
        throw new IllegalArgumentException(where + ": no path rules");
      }
      return rules;
    }

    private Set<Capability> capabilities(String path) {
      expect('[');
      Set<Capability> caps = EnumSet.noneOf(Capability.class);
      while (!peek(']')) {
        String value = string();
        caps.add(capability(value));
        if (!peek(']')) {
          expect(',');
        }
      }
      expect(']');
      if (caps.isEmpty()) {
        throw fail("path \"" + path + "\" has an empty capabilities list");
      }
      return caps;
    }

    private Capability capability(String value) {
      for (Capability c : Capability.values()) {
        if (c.hclName().equals(value)) {
          return c;
        }
      }
      if (Set.of("sudo", "subscribe", "recover").contains(value)) {
        throw fail(
            "capability \""
                + value
                + "\" is not supported by vault-emulator (it serves no endpoint that needs it)");
      }
      throw fail("unknown capability \"" + value + "\"");
    }

    /** Checks a path pattern against the forms Vault accepts and the emulator matches. */
    private String pattern(String path) {
      if (path.contains("{{") || path.contains("}}")) {
        throw fail("templated policy paths are not supported by vault-emulator: \"" + path + "\"");
      }
      String p = path.startsWith("/") ? path.substring(1) : path;
      int star = p.indexOf('*');
      if (star >= 0 && star != p.length() - 1) {
        throw fail("\"*\" is only allowed at the end of a policy path: \"" + path + "\"");
      }
      if (p.endsWith("+*")) {
        throw fail("\"+*\" is not supported by vault-emulator: \"" + path + "\"");
      }
      if (p.isEmpty()) {
        throw fail("empty policy path");
      }
      return p;
    }

    private String unsupported(String keyword) {
      return switch (keyword) {
        case "policy" -> "the old \"policy = ...\" form is not supported by vault-emulator; use capabilities";
        case "allowed_parameters", "denied_parameters", "required_parameters",
            "min_wrapping_ttl", "max_wrapping_ttl", "control_group", "mfa_methods" ->
            "\"" + keyword + "\" is not supported by vault-emulator (only capabilities)";
        default -> "unexpected \"" + keyword + "\" (vault-emulator reads only path \"...\" { capabilities = [...] })";
      };
    }

    private String word() {
      skipSpaceAndComments();
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        throw fail("expected a keyword, found " + found());
      }
      return text.substring(start, pos);
    }

    private String string() {
      skipSpaceAndComments();
      if (pos >= text.length() || text.charAt(pos) != '"') {
        throw fail("expected a quoted string, found " + found());
      }
      StringBuilder value = new StringBuilder();
      pos++;
      while (pos < text.length() && text.charAt(pos) != '"') {
        char c = text.charAt(pos++);
        if (c == '\n') {
          throw fail("unterminated string");
        }
        if (c == '\\') {
          if (pos >= text.length()) {
            throw fail("unterminated string");
          }
          char escaped = text.charAt(pos++);
          if (escaped != '"' && escaped != '\\') {
            throw fail("escape \\" + escaped + " is not supported by vault-emulator");
          }
          c = escaped;
        }
        value.append(c);
      }
      if (pos >= text.length()) {
        throw fail("unterminated string");
      }
      pos++;
      return value.toString();
    }

    private boolean peek(char c) {
      skipSpaceAndComments();
      if (pos >= text.length()) {
        throw fail("unexpected end of file, expected '" + c + "'");
      }
      return text.charAt(pos) == c;
    }

    private void expect(char c) {
      if (!peek(c)) {
        throw fail("expected '" + c + "', found " + found());
      }
      pos++;
    }

    private void skipSpaceAndComments() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (Character.isWhitespace(c)) {
          pos++;
        } else if (c == '#' || text.startsWith("//", pos)) {
          while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
          }
        } else if (text.startsWith("/*", pos)) {
          int end = text.indexOf("*/", pos + 2);
          if (end < 0) {
            throw fail("unterminated comment");
          }
          pos = end + 2;
        } else {
          return;
        }
      }
    }

    private String found() {
      if (pos >= text.length()) {
        return "end of file";
      }
      int end = pos;
      while (end < text.length() && end - pos < 20 && !Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      return "\"" + text.substring(pos, Math.max(end, pos + 1)) + "\"";
    }

    private int line() {
      int line = 1;
      for (int i = 0; i < pos && i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      return line;
    }

    private IllegalArgumentException fail(String message) {
      return failAt(line(), message);
    }

    private IllegalArgumentException failAt(int line, String message) {
      return new IllegalArgumentException(where + " line " + line + ": " + message);
    }
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    rules.forEach((p, c) -> parts.add(p + "=" + c.toString().toLowerCase(Locale.ROOT)));
    return name + parts;
  }
}
