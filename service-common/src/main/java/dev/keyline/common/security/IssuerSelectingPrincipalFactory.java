package dev.keyline.common.security;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.jose4j.base64url.Base64Url;
import org.jose4j.json.JsonUtil;

import io.smallrye.jwt.KeyFormat;
import io.smallrye.jwt.KeyProvider;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies a bearer token against one of two trusted issuers: the identity provider
 * ({@code mp.jwt.verify.*}) or, when configured, the service-account issuer
 * ({@link ServiceAccountConfig}).
 *
 * <p>The token's unverified {@code iss} only chooses WHICH key set and issuer to verify with; the
 * chosen verification is smallrye-jwt's own, complete one (signature, {@code iss} equal to that
 * issuer, {@code aud}, {@code exp}, {@code iat} and maximum age), so a token claiming one issuer but
 * signed by the other's key fails, and nothing else read before verification reaches the result.
 * Each issuer keeps its own parser because smallrye-jwt caches the key resolver of the first
 * context a parser sees.
 *
 * <p>A token verified a moment ago is not verified again ({@link VerifiedTokens}): the same exact
 * token within its limits gets the same principal.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class IssuerSelectingPrincipalFactory extends JWTCallerPrincipalFactory {

    private final JWTCallerPrincipalFactory primary = new DefaultJWTCallerPrincipalFactory();
    private final JWTCallerPrincipalFactory serviceAccounts = new DefaultJWTCallerPrincipalFactory();
    private volatile JWTAuthContextInfo serviceAccountContext;

    @Inject
    ServiceAccountConfig config;

    @Inject
    VerifiedTokensConfig verifiedTokensConfig;

    private VerifiedTokens verified;

    @PostConstruct
    void init() {
        verified = new VerifiedTokens(verifiedTokensConfig.ttl().toMillis(), verifiedTokensConfig.maxEntries(),
                System::currentTimeMillis);
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        JWTCallerPrincipal known = verified.find(token);
        if (known != null) {
            return known;
        }
        JWTCallerPrincipal principal = verify(token, authContextInfo);
        refuseIssuedInTheFuture(principal, authContextInfo.getClockSkew(), System.currentTimeMillis() / 1000);
        refuseBlankSubject(principal);
        verified.remember(token, principal, authContextInfo.getTokenAge());
        return principal;
    }

    /**
     * The principal of {@code token} if it was verified a moment ago and is still within its limits, else
     * null. Never verifies (so never blocks on a key set): for callers on the event loop.
     */
    public JWTCallerPrincipal remembered(String token) {
        return verified.find(token);
    }

    /**
     * smallrye-jwt bounds a token's age by {@code now - iat} only, so an {@code iat} in the future made
     * the age negative and the maximum age (KEYLINE_JWT_MAX_TOKEN_AGE) void: a token "issued" a year
     * ahead was good for a year. Beyond the clock skew the verification allows, it is refused.
     */
    static void refuseIssuedInTheFuture(JWTCallerPrincipal principal, long clockSkewSeconds, long nowSeconds)
            throws ParseException {
        if (principal.getIssuedAtTime() > nowSeconds + clockSkewSeconds) {
            throw new ParseException("The token's iat is in the future");
        }
    }

    /**
     * A token whose {@code sub} is empty (or blank) names nobody: smallrye-jwt accepted {@code "sub":""},
     * and every share, audit row and {@code created_by} then counted it as one caller "" (or fell back to
     * another claim). Refused (401) like a token without {@code sub}.
     */
    static void refuseBlankSubject(JWTCallerPrincipal principal) throws ParseException {
        Object sub = principal.getClaim("sub");
        String name = principal.getName();
        if ((sub != null && sub.toString().isBlank()) || name == null || name.isBlank()) {
            throw new ParseException("The token's sub is empty");
        }
    }

    private JWTCallerPrincipal verify(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        Optional<String> issuer = config.serviceAccountIssuer();
        if (issuer.isPresent() && issuer.get().equals(claimedIssuer(token))) {
            return serviceAccounts.parse(token, serviceAccountContext(authContextInfo, issuer.get()));
        }
        return primary.parse(token, authContextInfo);
    }

    /** For tests: replaces the remembered tokens (and their clock). */
    void verifiedTokens(VerifiedTokens cache) {
        verified = cache;
    }

    /**
     * The primary issuer's rules with the service-account issuer's name and keys: the same audience,
     * maximum age, clock skew and algorithms. Built once (the primary context does not change).
     */
    private JWTAuthContextInfo serviceAccountContext(JWTAuthContextInfo primaryContext, String issuer) {
        JWTAuthContextInfo context = serviceAccountContext;
        if (context == null) {
            String keys = config.serviceAccountPublicKeyLocation().orElseThrow(() -> new IllegalStateException(
                    "keyline.security.service-account-issuer is set but keyline.security.service-account-public-key-location is not"));
            context = new JWTAuthContextInfo(primaryContext);
            context.setIssuedBy(issuer);
            context.setPublicKeyLocation(keys);
            context.setPublicKeyContent(null);
            context.setPublicVerificationKey(null);
            context.setSecretVerificationKey(null);
            context.setSecretKeyContent(null);
            context.setTokenKeyId(null);
            context.setKeyFormat(KeyFormat.ANY);
            context.setKeyProvider(KeyProvider.DEFAULT);
            serviceAccountContext = context;
        }
        return context;
    }

    /**
     * The {@code iss} a compact JWS claims, read without verifying anything; null when the token is
     * not a three-part JWS with a JSON object payload and a string {@code iss} (it then goes to the
     * primary issuer's verification, which refuses it).
     */
    static String claimedIssuer(String token) {
        if (token == null) {
            return null;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            Map<String, Object> claims = JsonUtil.parseJson(new String(Base64Url.decode(parts[1]), StandardCharsets.UTF_8));
            return claims.get("iss") instanceof String iss ? iss : null;
        } catch (Exception malformed) {
            return null;
        }
    }

}
