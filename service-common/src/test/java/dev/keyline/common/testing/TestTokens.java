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
    /** The second issuer of the test profiles: a Kubernetes-like service-account issuer. */
    public static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final String KEY = "jwt/test-private-key.pem";
    /** Signs {@link #serviceAccount} tokens; services verify them with {@code jwt/test-service-account-public-key.pem}. */
    private static final String SERVICE_ACCOUNT_KEY = "jwt/test-service-account-private-key.pem";
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
     * A token like a Kubernetes projected service-account token: issuer {@link #SERVICE_ACCOUNT_ISSUER},
     * signed with its key, {@code sub} = {@code system:serviceaccount:<namespace>:<name>}, no {@code upn}
     * and no {@code groups} (pass permissions to put some in {@code groups} anyway, to show they count
     * for nothing).
     */
    public static Mint serviceAccount(String namespace, String name, String... groups) {
        Mint mint = new Mint("system:serviceaccount:" + namespace + ":" + name, Set.of(groups));
        mint.issuer = SERVICE_ACCOUNT_ISSUER;
        mint.key = SERVICE_ACCOUNT_KEY;
        mint.upn = false;
        return mint;
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
        private String issuer = ISSUER;
        private String key = KEY;
        private boolean upn = true;

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

        /** The {@code iss} claim, whatever key signs the token. */
        public Mint issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** Signed with the primary issuer's test key instead of this token's own. */
        public Mint signedWithPrimaryKey() {
            this.key = KEY;
            return this;
        }

        /** Signed with the service-account issuer's test key instead of this token's own. */
        public Mint signedWithServiceAccountKey() {
            this.key = SERVICE_ACCOUNT_KEY;
            return this;
        }

        public String token() {
            Instant iat = issuedAt != null ? issuedAt : Instant.now();
            Instant exp = expiresAt != null ? expiresAt : iat.plus(LIFETIME);
            List<String> aud = audience != null ? audience : defaultAudience();
            var claims = Jwt.issuer(issuer)
                    .subject(subject)
                    .audience(Set.copyOf(aud))
                    .issuedAt(iat)
                    .expiresAt(exp);
            if (upn) {
                claims.upn(subject);
            }
            if (upn || !permissions.isEmpty()) {
                claims.groups(permissions);
            }
            return claims.sign(key);
        }

        public String bearer() {
            return "Bearer " + token();
        }
    }
}
