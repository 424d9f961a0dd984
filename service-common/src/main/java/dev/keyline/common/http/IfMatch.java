package dev.keyline.common.http;

import dev.keyline.common.problem.ProblemException;

/** The optimistic-locking version a client sends back in {@code If-Match} (the ETag it read). */
public final class IfMatch {

    private IfMatch() {
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
