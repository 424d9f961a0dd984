package dev.keyline.common.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** {@link ResourceNames#problem}: length first, then one pass over the characters. */
public class ResourceNameValidator implements ConstraintValidator<ResourceName, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        String problem = ResourceNames.problem(value);
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(problem.replace("{", "\\{").replace("$", "\\$"))
                .addConstraintViolation();
        return false;
    }
}
