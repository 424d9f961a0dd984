package dev.keyline.common.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * The name of a certificate or connection, by the rule of {@link ResourceNames}: letters of any
 * script, digits, spaces and common punctuation, starting with a letter or digit, 1 to
 * {@link #MAX_LENGTH} characters after trimming. Null is valid (combine with {@code @NotBlank}).
 *
 * <p>Why not {@code @Size} + {@code @Pattern}: bean validation runs the constraints of one element in
 * no fixed order, so a regular expression could run over a 64 KiB value before its length is
 * refused. {@link ResourceNameValidator} checks the length first and then scans once.
 */
@Documented
@Constraint(validatedBy = ResourceNameValidator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD,
        ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface ResourceName {

    /** The longest name accepted, the same for JSON and multipart requests. */
    int MAX_LENGTH = 200;

    String message() default "letters, digits, spaces and common punctuation only, starting with a letter or digit";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
