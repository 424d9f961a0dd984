package dev.keyline.common.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Length first, then one pass over the characters: linear in the (already bounded) input. */
public class ResourceNameValidator implements ConstraintValidator<ResourceName, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        if (value.length() > ResourceName.MAX_LENGTH) {
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("size must be between 0 and " + ResourceName.MAX_LENGTH)
                    .addConstraintViolation();
            return false;
        }
        return isResourceName(value);
    }

    /** Whether {@code value} is a non-empty name of the allowed characters, starting with a letter or digit. */
    public static boolean isResourceName(String value) {
        if (value.isEmpty() || !isLetterOrDigit(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isLetterOrDigit(c) && c != ' ' && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
