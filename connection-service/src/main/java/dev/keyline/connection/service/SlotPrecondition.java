package dev.keyline.connection.service;

import java.util.List;

import dev.keyline.common.http.IfMatch;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;

/**
 * What a key slot must hold right now for a {@code PUT} or {@code DELETE …/key-slots/{n}} to go ahead:
 * a compare-and-set on the slot, so that a caller who decided on what it read (rotation's PLAN, an
 * administrator's GET) never replaces or unsets a key someone put there since. The slot's entity tag
 * is the fingerprint of the key it holds ({@code If-Match: "SHA256:…"}); an empty slot has none, so
 * {@code If-None-Match: *} asks for an empty one. Checked with DESC USER under the user's lock, the
 * same read the slot change already makes, so it costs nothing.
 *
 * @param fingerprint the key the slot must hold, or null: it must be empty
 */
public record SlotPrecondition(String fingerprint) {

    /** The precondition the request's headers state, or null when it states none (behaviour unchanged). */
    public static SlotPrecondition fromHeaders(String ifMatch, String ifNoneMatch) {
        boolean match = ifMatch != null && !ifMatch.isBlank();
        boolean noneMatch = ifNoneMatch != null && !ifNoneMatch.isBlank();
        if (match && noneMatch) {
            throw ProblemException.invalidField("If-None-Match",
                    "send either If-Match (the key the slot holds) or If-None-Match: * (the slot is empty), not both");
        }
        if (noneMatch) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw ProblemException.invalidField("If-None-Match", "must be * (the slot must be empty)");
            }
            return new SlotPrecondition(null);
        }
        if (!match) {
            return null;
        }
        // One strong entity-tag, as everywhere else: a weak one never matches (412), an unquoted one is a 400.
        String v = IfMatch.strongTag(ifMatch, "\"SHA256:…\" (the fingerprint GET …/key-slots shows)");
        if (!v.startsWith("SHA256:") || v.length() == "SHA256:".length()) {
            throw ProblemException.invalidField("If-Match",
                    "must be one key fingerprint \"SHA256:…\" as GET …/key-slots shows it (If-None-Match: * for an empty slot)");
        }
        return new SlotPrecondition(v);
    }

    /** Refuses (409 {@code key-slot-changed}) when {@code current}, what the slot holds now, is not what was expected. */
    public void check(int slot, String current) {
        boolean holds = fingerprint == null ? current == null : fingerprint.equals(current);
        if (!holds) {
            String header = fingerprint == null ? "If-None-Match" : "If-Match";
            throw new ProblemException(409, "key-slot-changed", "Key slot changed",
                    "Slot " + slot + " holds " + describe(current) + ", not " + describe(fingerprint)
                            + " as the request expected (" + (fingerprint == null ? "If-None-Match: *" : "If-Match")
                            + "); nothing was changed. Read GET …/key-slots and decide again",
                    List.of(new FieldError(header, "slot " + slot + " holds " + describe(current))));
        }
    }

    private static String describe(String fingerprint) {
        return fingerprint == null ? "no key (empty)" : fingerprint;
    }
}
