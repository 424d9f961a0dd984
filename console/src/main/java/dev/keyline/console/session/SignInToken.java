package dev.keyline.console.session;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A bearer token pasted on the sign-in page. The console does not verify it itself (it holds no key
 * and decides nothing: every service verifies signature, issuer, audience and age on each call, and
 * {@link TokenAcceptance} asks them once before a session is opened); it reads the subject to greet
 * the person and the expiry to end the session with the token.
 */
public record SignInToken(String value, String subject, Instant expiresAt) {

    /** Why a pasted text is not a usable token, said without repeating the text. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason);
        }
    }

    public static SignInToken read(String pasted, ObjectMapper json, Instant now) throws Refused {
        if (pasted == null || pasted.isBlank()) {
            throw new Refused("paste the token that ./run-local printed (ADMIN_TOKEN)");
        }
        String token = pasted.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || token.length() > 16384 || !token.matches("[A-Za-z0-9_\\-.]+")) {
            throw new Refused("this is not a JWT (three base64url parts separated by dots)");
        }
        JsonNode claims;
        try {
            claims = json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new Refused("the token's claims cannot be read");
        }
        if (claims == null || !claims.isObject()) {
            throw new Refused("the token's claims cannot be read");
        }
        if (!claims.path("exp").canConvertToLong()) {
            throw new Refused("the token has no expiry (exp)");
        }
        Instant exp = Instant.ofEpochSecond(claims.path("exp").asLong());
        if (!exp.isAfter(now)) {
            throw new Refused("the token expired at " + exp);
        }
        // The name the services record as actor: upn, else preferred_username (Keycloak's), else sub.
        String subject = claims.path("upn").asText(claims.path("preferred_username").asText(claims.path("sub").asText("unknown")));
        return new SignInToken(token, subject, exp);
    }

    @Override
    public String toString() {
        return "SignInToken[subject=" + subject + ", expiresAt=" + expiresAt + "]";
    }
}
