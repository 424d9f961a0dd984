package dev.keyline.common.testing;

import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Mints bearer tokens for tests, signed with the test key in {@code jwt/test-private-key.pem}
 * (services verify them with {@code jwt/test-public-key.pem} in their test profile).
 */
public final class TestTokens {

    public static final String ISSUER = "keyline";

    private TestTokens() {
    }

    /** A token for {@code subject} holding exactly these permissions. */
    public static String token(String subject, String... permissions) {
        return Jwt.issuer(ISSUER)
                .subject(subject)
                .upn(subject)
                .groups(Set.of(permissions))
                .expiresIn(3600)
                .sign("jwt/test-private-key.pem");
    }

    /** "Bearer …" header value. */
    public static String bearer(String subject, String... permissions) {
        return "Bearer " + token(subject, permissions);
    }
}
