package dev.keyline.common.http;

import java.util.List;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;

/** The optimistic-locking version a client sends back in {@code If-Match} (the ETag it read). */
public final class IfMatch {

    private IfMatch() {
    }

    /**
     * The version a PUT replacing a versioned resource must name. Without it two clients that read
     * the same version would silently overwrite each other's change: 428 Precondition Required.
     */
    public static long required(String header) {
        Long version = version(header);
        if (version == null) {
            throw new ProblemException(428, "precondition-required", "Precondition required",
                    "Send If-Match with the ETag (version) you read with GET, so that a change made since is not overwritten",
                    List.of(new FieldError("If-Match", "is required")));
        }
        return version;
    }

    /** The version, or null when the header is absent; a malformed value is a 400 naming the header. */
    public static Long version(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.trim().replace("W/", "").replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("If-Match", "must be the version (ETag) returned by GET");
        }
    }
}
