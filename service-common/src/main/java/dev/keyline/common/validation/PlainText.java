package dev.keyline.common.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * Free text that is stored (a description): any characters but control characters (C0 other than tab,
 * line feed and carriage return, DEL, C1), bidi embeddings, overrides and isolates, and unpaired
 * surrogates. Why: PostgreSQL's {@code text} cannot hold NUL, so a description with {@code \u0000}
 * failed at the insert (a 500); an unpaired surrogate is not UTF-8 and was stored as {@code ?} while the
 * answer echoed what was sent (a probe's finding: the caller was told one value was saved and another
 * was); the other controls only garble where the text is shown or logged, and a bidi override makes it
 * read as other text than it is. Null is valid.
 */
@Documented
@Constraint(validatedBy = PlainTextValidator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD,
        ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface PlainText {

    String message() default "must not contain control characters, bidi overrides or unpaired surrogates (tab and line breaks are fine)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
