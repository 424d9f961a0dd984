package dev.keyline.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The factory with real RS256 tokens: a token verified once is not verified again while it is
 * remembered, and what fails verification is refused every time.
 */
class IssuerSelectingPrincipalFactoryTest {

    private static KeyPair issuerKey;
    private static KeyPair otherKey;

    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    private final IssuerSelectingPrincipalFactory factory = new IssuerSelectingPrincipalFactory();
    private JWTAuthContextInfo context;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        issuerKey = generator.generateKeyPair();
        otherKey = generator.generateKeyPair();
    }

    IssuerSelectingPrincipalFactoryTest() {
        factory.config = new NoServiceAccounts();
        factory.verifiedTokens(new VerifiedTokens(30_000, 100, now::get));
        context = new JWTAuthContextInfo((java.security.interfaces.RSAPublicKey) issuerKey.getPublic(), "keyline");
        context.setExpectedAudience(java.util.Set.of("certificate-service"));
        context.setTokenAge(3600L);
    }

    @Test
    void theSameTokenIsVerifiedOnceAndADifferentOneAgain() throws Exception {
        String token = sign(issuerKey, "alice");
        JWTCallerPrincipal first = factory.parse(token, context);
        assertThat(first.getSubject()).isEqualTo("alice");
        assertThat(factory.parse(token, context)).isSameAs(first);

        JWTCallerPrincipal other = factory.parse(sign(issuerKey, "alice"), context);
        assertThat(other).isNotSameAs(first);
    }

    @Test
    void afterTheTtlTheTokenIsVerifiedAgain() throws Exception {
        String token = sign(issuerKey, "alice");
        JWTCallerPrincipal first = factory.parse(token, context);
        now.addAndGet(30_000);
        JWTCallerPrincipal again = factory.parse(token, context);
        assertThat(again).isNotSameAs(first);
        assertThat(again.getSubject()).isEqualTo("alice");
    }

    @Test
    void aTokenThatFailsIsRefusedEveryTime() throws Exception {
        String forged = sign(otherKey, "mallory");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> factory.parse(forged, context)).isInstanceOf(ParseException.class);
        }
        String wrongAudience = sign(issuerKey, "alice", "rotation-service");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> factory.parse(wrongAudience, context)).isInstanceOf(ParseException.class);
        }
    }

    @Test
    void aTokenIssuedInTheFutureBeyondTheSkewIsRefused() throws Exception {
        JWTCallerPrincipal principal = factory.parse(sign(issuerKey, "alice"), context);
        long iat = principal.getIssuedAtTime();
        IssuerSelectingPrincipalFactory.refuseIssuedInTheFuture(principal, 60, iat - 60);
        assertThatThrownBy(() -> IssuerSelectingPrincipalFactory.refuseIssuedInTheFuture(principal, 60, iat - 61))
                .isInstanceOf(ParseException.class);
    }

    @Test
    void aTokenWithAnEmptySubjectIsRefusedLikeOneWithout() throws Exception {
        for (String subject : new String[] { "", " " }) {
            String token = sign(issuerKey, subject);
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> factory.parse(token, context)).as("sub=\"%s\"", subject)
                        .isInstanceOf(ParseException.class);
            }
        }
    }

    private static String sign(KeyPair key, String subject) throws Exception {
        return sign(key, subject, "certificate-service");
    }

    private static String sign(KeyPair key, String subject, String audience) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("keyline");
        claims.setSubject(subject);
        claims.setAudience(audience);
        claims.setIssuedAt(NumericDate.now());
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static final class NoServiceAccounts implements ServiceAccountConfig {
        @Override
        public Optional<String> serviceAccountIssuer() {
            return Optional.empty();
        }

        @Override
        public Optional<String> serviceAccountPublicKeyLocation() {
            return Optional.empty();
        }

        @Override
        public Map<String, ServiceAccount> serviceAccounts() {
            return Map.of();
        }

        @Override
        public Optional<java.util.List<String>> servicePermissions() {
            return Optional.empty();
        }
    }
}
