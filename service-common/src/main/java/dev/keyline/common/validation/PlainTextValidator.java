package dev.keyline.common.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** {@link PlainText}: one pass over the characters. */
public class PlainTextValidator implements ConstraintValidator<PlainText, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++; // a character beyond the BMP (an emoji): fine
            } else if (Character.isSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                    || (c >= 0x7f && c <= 0x9f) || isDirectionalOverride(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The explicit embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder the
     * text after them, so a description can read differently than it is (Trojan Source, CVE-2021-42574)
     * in a log, a terminal or a console that does not escape them. The marks (LRM, RLM, ALM) and the
     * zero-width joiners stay: right-to-left writers and emoji sequences need them, and they reorder nothing.
     */
    static boolean isDirectionalOverride(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
