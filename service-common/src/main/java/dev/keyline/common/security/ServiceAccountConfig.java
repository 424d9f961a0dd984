package dev.keyline.common.security;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;

/**
 * A second token issuer, for workloads that prove who they are with a platform-issued token (a
 * Kubernetes projected service-account token) instead of one from the identity provider. Such a
 * token carries no permissions of its own ({@code sub} = {@code system:serviceaccount:<ns>:<name>},
 * no {@code groups}): what it may do is configured here, per subject, and nothing else is granted.
 * Unset issuer: only the primary issuer ({@code mp.jwt.verify.issuer}) is trusted.
 */
@ConfigMapping(prefix = "keyline.security")
public interface ServiceAccountConfig {

    /**
     * The service-account issuer's {@code iss}, exactly as in its tokens (the cluster's
     * {@code --service-account-issuer}, e.g. {@code https://kubernetes.default.svc.cluster.local}).
     */
    Optional<String> serviceAccountIssuer();

    /**
     * Where that issuer's public keys are: a JWKS URL, a JWKS file or a PEM public key (file or class
     * path). Required when the issuer is set. Audience, maximum age and algorithm rules are the
     * primary issuer's.
     */
    Optional<String> serviceAccountPublicKeyLocation();

    /**
     * The service accounts this service accepts, by any name (e.g. {@code rotation-service}): the
     * token subject and the permissions it gets. A token of that issuer with another subject
     * authenticates but holds no permission (403 everywhere).
     */
    Map<String, ServiceAccount> serviceAccounts();

    /**
     * Permissions only a peer service's own identity holds (connection-service: {@code connections:rotate},
     * rotation-service's): a caller holding one is served as a service account by the work pools' shares,
     * whichever issuer its token came from (run-local's and the identity provider's tokens for
     * rotation-service are the primary issuer's).
     */
    Optional<List<String>> servicePermissions();

    interface ServiceAccount {
        /** The token's {@code sub}, e.g. {@code system:serviceaccount:keyline:rotation-service}. */
        String subject();

        /** The permissions it holds (comma-separated), e.g. {@code connections:rotate}. */
        Set<String> permissions();
    }
}
