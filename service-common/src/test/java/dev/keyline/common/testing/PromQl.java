package dev.keyline.common.testing;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: identifiers used as selectors (bare, or followed by
 * {@code {} or {@code [}), not functions, aggregations, keywords, label names, numbers, durations
 * or Grafana variables. certificate-service's AlertMetricsTest carries a copy of this tokenizer (it
 * cannot depend on this test-only module); PromQlTest pins the behaviour of both.
 */
public final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

    private PromQl() {
    }

    public static Set<String> metricNames(String expr) {
        String s = expr
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")           // string literals
                .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
                .replaceAll("`[^`]*`", "``")
                .replaceAll("#[^\n]*", " ")                               // comments
                .replaceAll("\\$\\{[^}]*\\}|\\$[A-Za-z_][A-Za-z0-9_]*", " ") // Grafana variables
                .replaceAll("\\{[^}]*\\}", "{}")                           // label matchers
                .replaceAll("label_values\\(([^,()]*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)", "label_values($1)") // Grafana: label name
                .replaceAll("\\[[^\\]]*\\]", "[]")                         // ranges, subqueries
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " "); // label lists
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group();
            if (m.start() > 0 && isNumberChar(s.charAt(m.start() - 1))) {
                continue; // 5m, 1e3, 0x1f
            }
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            if (next < s.length() && s.charAt(next) == '(') {
                continue; // function or aggregation
            }
            if (KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            names.add(word);
        }
        return names;
    }

    private static boolean isNumberChar(char c) {
        return Character.isDigit(c) || c == '.';
    }
}
