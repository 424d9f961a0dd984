package dev.keyline.common.security;

import java.time.Clock;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * This service's own identity towards another service: a short-lived bearer token, obtained rather
 * than configured. From {@code keyline.service-token.file} (a Kubernetes projected service-account
 * token, re-read when the kubelet renews it) or else by OIDC client credentials at
 * {@code keyline.service-token.oidc.issuer}. The token's permissions are whatever the identity
 * provider grants this client (rotation-service: only {@code connections:rotate}).
 */
@ApplicationScoped
public class ServiceToken {

    private final Supplier<String> source;

    @Inject
    public ServiceToken(ServiceTokenConfig config) {
        this.source = sourceOf(config);
    }

    private static Supplier<String> sourceOf(ServiceTokenConfig config) {
        if (config.file().isPresent()) {
            return new TokenFile(config.file().get())::token;
        }
        ServiceTokenConfig.Oidc oidc = config.oidc();
        if (oidc.issuer().isPresent()) {
            ClientCredentials credentials = new ClientCredentials(oidc.issuer().get(), oidc.clientId(),
                    oidc.clientSecret().orElse(""), oidc.scope().orElse(null), config.refreshBefore(), config.timeout(),
                    Clock.systemUTC());
            return credentials::token;
        }
        return () -> {
            throw new ServiceTokenUnavailableException("no service token source: set keyline.service-token.file "
                    + "or keyline.service-token.oidc.issuer (with client-id and client-secret)");
        };
    }

    /** "Bearer …" for an Authorization header; throws {@link ServiceTokenUnavailableException}. */
    public String bearer() {
        return "Bearer " + source.get();
    }
}
