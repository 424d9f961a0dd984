package dev.keyline.common.security;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where a service obtains the short-lived bearer token it presents to another service. Never a
 * configured token: either a file the platform keeps fresh, or client credentials exchanged at the
 * identity provider. The file wins when both are set.
 */
@ConfigMapping(prefix = "keyline.service-token")
public interface ServiceTokenConfig {

    /**
     * A file holding the token, e.g. a Kubernetes projected service-account token with the callee's
     * audience; re-read whenever it changes (the kubelet replaces it before it expires).
     */
    Optional<Path> file();

    /** OIDC client credentials at the identity provider. */
    Oidc oidc();

    /** Replace a client-credentials token this long before it expires, so none expires in flight. */
    @WithDefault("30S")
    Duration refreshBefore();

    /** How long to wait for the identity provider (discovery and token endpoint, each). */
    @WithDefault("10S")
    Duration timeout();

    interface Oidc {
        /** The issuer (realm) URL; its {@code /.well-known/openid-configuration} names the token endpoint. */
        Optional<URI> issuer();

        /** This service's client id at the identity provider. */
        @WithDefault("${quarkus.application.name}")
        String clientId();

        /** The client's secret (from a Secret, never committed). */
        Optional<String> clientSecret();

        /** Scopes to ask for, space-separated; the audience comes from the client's mappers. */
        Optional<String> scope();
    }
}
