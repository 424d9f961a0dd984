package dev.keyline.common.security;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The permissions of a token from the service-account issuer come from configuration, never from
 * the token: its roles are replaced by what {@code keyline.security.service-accounts} grants its
 * (verified) subject, and an unmapped subject holds none. Tokens of the primary issuer keep their
 * {@code groups}.
 */
@ApplicationScoped
public class ServiceAccountPermissions implements SecurityIdentityAugmentor {

    @Inject
    ServiceAccountConfig config;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        Optional<String> issuer = config.serviceAccountIssuer();
        if (issuer.isEmpty() || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || !issuer.get().equals(jwt.getIssuer())) {
            return Uni.createFrom().item(identity);
        }
        QuarkusSecurityIdentity.Builder granted = QuarkusSecurityIdentity.builder()
                .setPrincipal(jwt)
                .setAnonymous(false)
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRoles(permissionsOf(jwt.getSubject()));
        return Uni.createFrom().item(granted.build());
    }

    /** What the configured service account with this subject holds; nothing for any other subject. */
    Set<String> permissionsOf(String subject) {
        return config.serviceAccounts().values().stream()
                .filter(account -> account.subject().equals(subject))
                .findFirst()
                .map(ServiceAccountConfig.ServiceAccount::permissions)
                .orElse(Set.of());
    }
}
