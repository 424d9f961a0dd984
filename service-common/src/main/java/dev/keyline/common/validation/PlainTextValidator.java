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
                    || (c >= 0x7f && c <= 0x9f)) {
                return false;
            }
        }
        return true;
    }
}
