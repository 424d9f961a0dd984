package dev.keyline.console;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the three services are, and how the console's own session behaves. */
@ConfigMapping(prefix = "console")
public interface ConsoleConfig {

    /** certificate-service: API and management base URLs. */
    Service certificateService();

    /** connection-service: API and management base URLs. */
    Service connectionService();

    /** rotation-service: API and management base URLs. */
    Service rotationService();

    /** How long one call to a service may take before the page says it is unavailable. */
    @WithDefault("45S")
    Duration callTimeout();

    /** How long to wait for a TCP connection; a stopped service should be reported quickly. */
    @WithDefault("2S")
    Duration connectTimeout();

    /** The overview lists certificates expiring within this period and policies due within it. */
    @WithDefault("P30D")
    Duration expiringSoon();

    /** The signed-in person's session. */
    Session session();

    /** Sign-in at an OpenID Connect provider (authorization-code flow with PKCE); off unless an issuer is set. */
    Oidc oidc();

    interface Oidc {
        /** The provider's issuer URL (e.g. a Keycloak realm); its discovery document names the endpoints. */
        Optional<URI> issuer();

        /** The console's client id at the provider. */
        @WithDefault("keyline-console")
        String clientId();

        /** The client's secret, for a confidential client (from a Secret, never committed). */
        Optional<String> clientSecret();

        /**
         * Scopes asked for; the provider must put all three services in the access token's audience
         * and the person's permissions in its groups claim.
         */
        @WithDefault("openid")
        String scope();

        /** Where the provider sends the browser back; default: this request's base URL + /oidc/callback. */
        Optional<URI> redirectUri();

        /** Offer only the provider's sign-in (no token paste) when an issuer is set. */
        @WithDefault("true")
        boolean only();
    }

    interface Service {
        /** API base URL, e.g. http://127.0.0.1:8081 (the console appends /api/v1/...). */
        URI url();

        /** Management base URL, e.g. http://127.0.0.1:9081 (the console reads /q/health there). */
        URI managementUrl();
    }

    interface Session {
        /** Name of the HttpOnly cookie holding the opaque session id (the token itself stays on the server). */
        @WithDefault("keyline-console-session")
        String cookieName();

        /** Mark the session cookie Secure (HTTPS only). Only a plain-HTTP local run turns this off. */
        @WithDefault("true")
        boolean secureCookie();

        /** A session unused this long is forgotten, even if its token is still valid. */
        @WithDefault("PT8H")
        Duration idleTimeout();

        /** Most sessions kept at once; the least recently used is dropped beyond it. */
        @WithDefault("10000")
        int maxSessions();

        /**
         * Most sessions one subject keeps at once; beyond it that subject's least recently used one is
         * dropped, so one person signing in again and again pushes out their own sessions, not others'.
         */
        @WithDefault("20")
        int maxPerSubject();
    }
}
