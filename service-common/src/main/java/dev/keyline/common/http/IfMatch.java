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
        return required(header, "the ETag (version) you read with GET", "a change made since", "is required");
    }

    /**
     * As {@link #required(String)} for a resource whose entity-tag is another version than the row's
     * (a connection's credentials: the credentialVersion): the 428 names {@code tag}, so the client
     * is not sent to the wrong number.
     *
     * @param tag what to send, for the detail ("the credentialVersion you read with GET …")
     * @param change what If-Match protects, for the detail ("a key swapped since")
     * @param reason the field error's reason on If-Match
     */
    public static long required(String header, String tag, String change, String reason) {
        Long version = version(header, tag);
        if (version == null) {
            throw new ProblemException(428, "precondition-required", "Precondition required",
                    "Send If-Match with " + tag + ", so that " + change + " is not overwritten",
                    List.of(new FieldError("If-Match", reason)));
        }
        return version;
    }

    /**
     * The version, or null when the header is absent. The header must be one strong entity-tag,
     * {@code "7"}, as the services send it in ETag: see {@link #strongTag(String)}.
     */
    public static Long version(String header) {
        return version(header, "the ETag returned by GET");
    }

    /** As {@link #version(String)}, a malformed header's 400 naming {@code tag}, what this resource's tag is. */
    private static Long version(String header, String tag) {
        String opaque = strongTag(header, "\"3\"", tag);
        if (opaque == null) {
            return null;
        }
        try {
            return Long.parseLong(opaque);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("If-Match", "must be " + tag + ", a number in double quotes");
        }
    }

    /**
     * What is between the quotes of the one strong entity-tag the header holds ({@code "7"} gives
     * {@code 7}), or null when the header is absent (RFC 9110 8.8.3). If-Match compares strongly
     * (13.1.1): a weak tag ({@code W/"7"}) never matches, 412. Anything that is not an entity-tag
     * ({@code 7}, an unterminated {@code "7}, {@code *}, a list) is a 400 naming the header: read
     * loosely, all of these were taken as the tag.
     */
    public static String strongTag(String header) {
        return strongTag(header, "\"3\"");
    }

    /** As {@link #strongTag(String)}, the 400's reason showing {@code example}: what this resource's tag looks like. */
    public static String strongTag(String header, String example) {
        return strongTag(header, example, "the ETag returned by GET");
    }

    private static String strongTag(String header, String example, String tag) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.strip();
        boolean weak = v.startsWith("W/");
        String opaque = weak ? v.substring(2) : v;
        if (!isOpaqueTag(opaque)) {
            throw ProblemException.invalidField("If-Match",
                    "must be " + tag + ", in double quotes such as " + example);
        }
        if (weak) {
            throw new ProblemException(412, "stale-version", "Precondition failed",
                    "If-Match compares entity-tags strongly: a weak tag (W/...) never matches; send the ETag read with GET",
                    List.of(new FieldError("If-Match", "a weak entity-tag never matches")));
        }
        return opaque.substring(1, opaque.length() - 1);
    }

    /** RFC 9110's opaque-tag: {@code DQUOTE *etagc DQUOTE}, etagc being %x21 / %x23-7E / %x80-FF. */
    private static boolean isOpaqueTag(String s) {
        if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (!(c == 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff))) {
                return false;
            }
        }
        return true;
    }
}
