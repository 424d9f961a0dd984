package dev.keyline.common.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Worst-case text for every text field: long runs of the characters that make backtracking regular
 * expressions and naive scanners go quadratic or worse (the issue's {@code \} and {@code -} runs took
 * 48 s and 52 s). Each is {@link #SIZE} characters, just under the 64 KiB PEM field ceiling, so PEM
 * fields hand it to the parser while shorter fields refuse it on length.
 */
public final class HostileText {

    /** The size: a PEM field (at most 65,536 characters) accepts it and parses it. */
    public static final int SIZE = 65_000;

    private HostileText() {
    }

    /** Name → payload, in a stable order. */
    public static Map<String, String> worstCases() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("backslashes", "\\".repeat(SIZE));
        cases.put("dashes", "-".repeat(SIZE));
        cases.put("equals signs", "=".repeat(SIZE));
        cases.put("spaces", " ".repeat(SIZE));
        cases.put("nested BEGIN lines", fill("-----BEGIN "));
        cases.put("BEGIN PRIVATE KEY lines", fill("-----BEGIN PRIVATE KEY-----\n"));
        cases.put("alternating CR LF", fill("\r\n"));
        cases.put("label chain a.a.a", fill("a."));
        cases.put("escaped newlines", fill("\\n"));
        cases.put("backslash runs before r", fill("\\\\\\r"));
        cases.put("BEGIN then base64 without END", ("-----BEGIN PRIVATE KEY-----\n" + "A".repeat(SIZE)).substring(0, SIZE));
        return cases;
    }

    private static String fill(String unit) {
        return unit.repeat(SIZE / unit.length() + 1).substring(0, SIZE);
    }
}
