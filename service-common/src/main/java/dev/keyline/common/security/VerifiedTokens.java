package dev.keyline.common.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import jakarta.json.JsonNumber;

import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;

/**
 * Bearer tokens verified a moment ago. The same token comes back on almost every request (a service
 * calls another one with the token it holds for minutes, a console session and a dashboard send the
 * one they were given), and verifying it again means parsing the JWS, checking an RSA signature and
 * every claim: measured ~25 % of the event loop's CPU for a connection test. A token is remembered
 * by the SHA-256 of its exact text, so only a byte-identical token is found again, and only until
 * the earliest of its verification + TTL, its {@code exp} and its issue time + maximum age: a
 * remembered token is never accepted when a fresh verification would have refused it for its age.
 * Tokens that fail verification are never remembered. The map holds digests, not tokens.
 */
final class VerifiedTokens {

    private record Entry(JWTCallerPrincipal principal, long notAfterMillis) {
    }

    private final ConcurrentHashMap<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlMillis;
    private final int maxEntries;
    private final LongSupplier clock;
    private volatile long lastSweepMillis;

    /**
     * @param ttlMillis how long after verification at most; 0 or less remembers nothing
     * @param clock the current time in epoch milliseconds
     */
    VerifiedTokens(long ttlMillis, int maxEntries, LongSupplier clock) {
        this.ttlMillis = ttlMillis;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    boolean enabled() {
        return ttlMillis > 0 && maxEntries > 0;
    }

    /** The principal of {@code token} if it was verified and is still within its limits; else null. */
    JWTCallerPrincipal find(String token) {
        if (!enabled() || token == null) {
            return null;
        }
        ByteBuffer key = digest(token);
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (clock.getAsLong() >= entry.notAfterMillis()) {
            entries.remove(key, entry);
            return null;
        }
        return entry.principal();
    }

    /**
     * Remembers a token that was just verified.
     *
     * @param maxAgeSeconds the maximum age since {@code iat} the verification enforced; null when none
     */
    void remember(String token, JWTCallerPrincipal principal, Long maxAgeSeconds) {
        if (!enabled()) {
            return;
        }
        long exp = claimSeconds(principal, "exp");
        long iat = claimSeconds(principal, "iat");
        if (exp < 0 || (maxAgeSeconds != null && iat < 0)) {
            return; // cannot bound its life: verify it every time
        }
        long now = clock.getAsLong();
        long notAfter = Math.min(now + ttlMillis, exp * 1000L);
        if (maxAgeSeconds != null) {
            notAfter = Math.min(notAfter, (iat + maxAgeSeconds) * 1000L);
        }
        if (notAfter <= now || !roomFor(now)) {
            return;
        }
        entries.put(digest(token), new Entry(principal, notAfter));
    }

    int size() {
        return entries.size();
    }

    /**
     * Drops expired entries when full, at most once a second so that a stream of distinct valid
     * tokens cannot make every request walk the whole map.
     */
    private boolean roomFor(long now) {
        if (entries.size() < maxEntries) {
            return true;
        }
        if (now - lastSweepMillis >= 1000) {
            lastSweepMillis = now;
            entries.values().removeIf(e -> now >= e.notAfterMillis());
        }
        return entries.size() < maxEntries;
    }

    /** A numeric date claim in seconds; -1 when absent or not a number. */
    private static long claimSeconds(JWTCallerPrincipal principal, String claim) {
        Object value = principal.getClaim(claim);
        if (value instanceof JsonNumber number) {
            return number.longValue();
        }
        return value instanceof Number number ? number.longValue() : -1;
    }

    private static ByteBuffer digest(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
