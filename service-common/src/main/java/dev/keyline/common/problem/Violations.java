package dev.keyline.common.problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;

/**
 * Bean-validation violations as the {@link FieldError}s of a 400, named as the JSON names them
 * ({@code details.account}, {@code managesUsers[2]}). A resource that checks a body itself (instead of
 * {@code @Valid}) puts these next to its own checks, so one answer names every bad field.
 */
public final class Violations {

    private Violations() {
    }

    /** Sorted by field, then reason: a violation set has no order of its own, the answer must. */
    public static List<FieldError> of(Collection<? extends ConstraintViolation<?>> violations) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : violations) {
            errors.add(new FieldError(ProblemMappers.fieldOf(v), v.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::reason));
        return errors;
    }

    /**
     * Whether {@code field} is one of {@code flagged}'s fields or inside one ({@code details.managesUsers[1]}
     * inside {@code details.managesUsers}): a value already refused is not refused again by a later check.
     */
    public static boolean covered(String field, Collection<FieldError> flagged) {
        for (FieldError f : flagged) {
            if (field.equals(f.field()) || field.startsWith(f.field() + ".") || field.startsWith(f.field() + "[")) {
                return true;
            }
        }
        return false;
    }
}
