package dev.keyline.common.json;

import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.keyline.common.problem.FieldError;

/**
 * Every field of a JSON body that could not be read as its type, or that the type does not have,
 * found in one read ({@link EveryBadField}): one 400 names them all. The reasons are those of a single
 * refusal ({@code unknown field}, {@code expected string}, {@code wrong type or shape}, {@code number out
 * of range}) and never quote a value: a value may be a private key.
 *
 * <p>{@link #partialValue()} is what was read with those fields left out (null when the body could not
 * be read as its type at all), for bean validation to name the other bad fields in the same answer.
 */
public class JsonFieldErrors extends MismatchedInputException {

    private static final long serialVersionUID = 1L;

    private final List<FieldError> errors;
    private final transient Object partialValue;

    JsonFieldErrors(JsonParser p, Class<?> targetType, List<FieldError> errors, Object partialValue) {
        super(p, errors.size() + " field(s) of the wrong type or unknown", targetType);
        this.errors = List.copyOf(errors);
        this.partialValue = partialValue;
    }

    /** In the order they were met, each field once. */
    public List<FieldError> errors() {
        return errors;
    }

    public Object partialValue() {
        return partialValue;
    }
}
