package dev.keyline.common.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

/**
 * Finds which query parameters a failed conversion was about. Quarkus REST reports a query
 * parameter it cannot convert (say {@code size=abc} for an {@code int}) as a 404 whose cause is the
 * converter's exception, which is what the JAX-RS specification prescribes and no client can act on.
 * The converters' messages quote the value they refused ({@code For input string: "abc"},
 * {@code Invalid UUID string: x}); the parameters carrying that exact value are the ones to name.
 * Values are only compared, never repeated in the answer.
 */
final class UnreadableParameters {

    private UnreadableParameters() {
    }

    /** The query parameters the conversion failure {@code cause} refused; empty when it was about none. */
    static List<FieldError> of(Throwable cause, MultivaluedMap<String, String> query) {
        List<FieldError> errors = new ArrayList<>();
        if (cause == null || query == null || query.isEmpty()) {
            return errors;
        }
        String message = messages(cause);
        for (Map.Entry<String, List<String>> p : query.entrySet()) {
            for (String value : p.getValue()) {
                if (value != null && quotes(message, value)) {
                    errors.add(new FieldError(p.getKey(), reason(cause)));
                    break;
                }
            }
        }
        return errors;
    }

    private static boolean quotes(String message, String value) {
        // Each message of the cause chain ends with a line break (see messages), so ": value\n" covers a value at the end.
        return message.contains("\"" + value + "\"") || message.contains(": " + value + "\n");
    }

    private static String messages(Throwable cause) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = cause; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static String reason(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof NumberFormatException) {
                return "must be a whole number within range";
            }
        }
        return "has a value of the wrong type";
    }
}
