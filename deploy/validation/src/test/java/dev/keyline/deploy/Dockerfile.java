package dev.keyline.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of one Dockerfile, read the way the builder reads them (continuation lines joined,
 * comment lines dropped), so that a test can carry out its {@code COPY}, {@code ENV} and {@code RUN}
 * steps without a container engine.
 */
record Dockerfile(List<Instruction> instructions) {

    record Instruction(String keyword, String arguments) {
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|(\\S*))");

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (current == null && trimmed.isEmpty())) {
                continue;
            }
            if (current == null) {
                current = new StringBuilder();
            }
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(continued ? " " : "");
            if (!continued) {
                String joined = current.toString().strip();
                int space = joined.indexOf(' ');
                instructions.add(new Instruction(joined.substring(0, space).toUpperCase(), joined.substring(space + 1).strip()));
                current = null;
            }
        }
        return new Dockerfile(instructions);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The {@code ENV KEY=value ...} pairs of one instruction (only the {@code KEY=value} form; quotes as the shell reads them). */
    static Map<String, String> envPairs(Instruction env) {
        Map<String, String> pairs = new LinkedHashMap<>();
        Matcher m = ENV_PAIR.matcher(env.arguments());
        while (m.find()) {
            String value = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1")
                    : m.group(4) != null ? m.group(4) : m.group(5);
            pairs.put(m.group(1), value);
        }
        return pairs;
    }
}
