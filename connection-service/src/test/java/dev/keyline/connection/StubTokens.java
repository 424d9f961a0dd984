package dev.keyline.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyline.keys.PublicKeys;

/**
 * Verifies a test bearer token the way a service does (RS256 with {@code jwt/test-public-key.pem},
 * issuer, expiry) for {@link CertificateServiceStub}, so the stub refuses what the real
 * certificate-service would refuse.
 */
final class StubTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RSAPublicKey KEY = load();

    private StubTokens() {
    }

    /** The token's {@code groups}, or null when the header holds no valid token. */
    static Set<String> verifiedGroups(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(KEY);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return null;
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!"keyline".equals(claims.path("iss").asText())
                    || claims.path("exp").asLong(0) <= Instant.now().getEpochSecond()) {
                return null;
            }
            Set<String> groups = new HashSet<>();
            claims.path("groups").forEach(g -> groups.add(g.asText()));
            return groups;
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static RSAPublicKey load() {
        try (InputStream in = StubTokens.class.getClassLoader().getResourceAsStream("jwt/test-public-key.pem")) {
            if (in == null) {
                throw new IllegalStateException("missing jwt/test-public-key.pem on the test class path");
            }
            return (RSAPublicKey) PublicKeys.parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
