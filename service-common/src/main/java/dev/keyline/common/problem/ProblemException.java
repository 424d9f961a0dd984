package dev.keyline.common.problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Thrown by services to answer with a specific problem. The message doubles as the problem's
 * {@code detail}, so it must never contain key material, passphrases or tokens.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;

    public ProblemException(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, List.of(), null);
    }

    public ProblemException(int status, String slug, String title, String detail, List<FieldError> errors) {
        this(status, slug, title, detail, errors, null);
    }

    public ProblemException(int status, String slug, String title, String detail, List<FieldError> errors,
            Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** A 400 for one bad field: the most common rejection. */
    public static ProblemException invalidField(String field, String reason) {
        return new ProblemException(400, "invalid-request", "Invalid request",
                "The request has an invalid field: " + field, List.of(new FieldError(field, reason)));
    }

    /**
     * A 400 for every bad field found at once, ordered by field. A (field, reason) pair given twice is
     * listed once: two checks refusing a value for the same reason ("" is blank to {@code @NotBlank} and
     * to {@code @ResourceName}) are one error for the caller, not the same line twice.
     */
    public static ProblemException invalidFields(Collection<FieldError> errors) {
        List<FieldError> distinct = new ArrayList<>(new LinkedHashSet<>(errors));
        distinct.sort(Comparator.comparing(FieldError::field));
        return new ProblemException(400, "invalid-request", "Invalid request",
                "The request has " + distinct.size() + " invalid field(s)", distinct);
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(404, "not-found", "Not found", what + " " + id + " does not exist");
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(409, slug, "Conflict", detail);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Seconds a client should wait before retrying (the {@code Retry-After} header), or null for none. */
    public Integer retryAfterSeconds() {
        return null;
    }

    public Problem toProblem(String instance) {
        return new Problem(Problem.type(slug), title, status, getMessage(), instance, errors.isEmpty() ? null : errors);
    }
}
