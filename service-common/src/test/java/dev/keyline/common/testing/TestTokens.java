package dev.keyline.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.eclipse.microprofile.config.ConfigProvider;

import io.smallrye.jwt.build.Jwt;

/**
 * Mints bearer tokens for tests, signed with the test key in {@code jwt/test-private-key.pem}
 * (services verify them with {@code jwt/test-public-key.pem} in their test profile).
 *
 * <p>Every token carries {@code iss}, {@code sub}, {@code aud}, {@code iat}, {@code exp} and
 * {@code groups}, like an identity provider's. The audience defaults to the service under test (its
 * {@code mp.jwt.verify.audiences}), so a test that does not care gets a token its service accepts;
 * {@link #mint} lets a test ask for another audience, an old {@code iat} or an expired token.
 */
public final class TestTokens {

    public static final String ISSUER = "keyline";
    /**
     * How long a minted token is valid unless the test says otherwise. Fixtures mint their tokens once
     * per suite, so this is as long as the services' default maximum token age allows.
     */
    public static final Duration LIFETIME = Duration.ofHours(1);

    private TestTokens() {
    }

    /** A token for {@code subject} holding exactly these permissions, for the service under test. */
    public static String token(String subject, String... permissions) {
        return mint(subject, permissions).token();
    }

    /** "Bearer …" header value of {@link #token}. */
    public static String bearer(String subject, String... permissions) {
        return mint(subject, permissions).bearer();
    }

    /** A token to shape before signing: audience, issue time, expiry. */
    public static Mint mint(String subject, String... permissions) {
        return new Mint(subject, Set.of(permissions));
    }

    /**
     * The service under test's own audience, its {@code mp.jwt.verify.audiences}: from the running
     * Quarkus application's configuration, or else (a plain JUnit test that starts services as
     * processes) from the {@code application.properties} on the test class path.
     */
    public static List<String> defaultAudience() {
        String configured = ConfigProvider.getConfig().getOptionalValue("mp.jwt.verify.audiences", String.class)
                .orElseGet(TestTokens::audienceOnClassPath);
        return Arrays.stream(configured.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String audienceOnClassPath() {
        Properties properties = new Properties();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String audience = properties.getProperty("mp.jwt.verify.audiences");
        if (audience == null) {
            throw new IllegalStateException("no mp.jwt.verify.audiences in this test's configuration: name the audience"
                    + " with mint(…).audience(…)");
        }
        return audience;
    }

    /** One token being minted. */
    public static final class Mint {
        private final String subject;
        private final Set<String> permissions;
        private List<String> audience;
        private Instant issuedAt;
        private Instant expiresAt;

        private Mint(String subject, Set<String> permissions) {
            this.subject = subject;
            this.permissions = permissions;
        }

        /** The {@code aud} claim (a service name such as {@code connection-service}). */
        public Mint audience(String... audience) {
            this.audience = List.of(audience);
            return this;
        }

        /** {@code iat}; {@code exp} follows it by {@link #LIFETIME} unless {@link #expiresAt} says otherwise. */
        public Mint issuedAt(Instant issuedAt) {
            this.issuedAt = issuedAt;
            return this;
        }

        public Mint expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public String token() {
            Instant iat = issuedAt != null ? issuedAt : Instant.now();
            Instant exp = expiresAt != null ? expiresAt : iat.plus(LIFETIME);
            List<String> aud = audience != null ? audience : defaultAudience();
            return Jwt.issuer(ISSUER)
                    .subject(subject)
                    .upn(subject)
                    .audience(Set.copyOf(aud))
                    .groups(permissions)
                    .issuedAt(iat)
                    .expiresAt(exp)
                    .sign("jwt/test-private-key.pem");
        }

        public String bearer() {
            return "Bearer " + token();
        }
    }
}
