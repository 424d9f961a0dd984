package dev.keyline.certificate.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything a deployer can set for the certificate-service, under {@code certificate-service.*}. */
@ConfigMapping(prefix = "certificate-service")
public interface CertificateServiceConfig {

    /** Where key material lives in Vault. */
    VaultPaths vault();

    /** Outbound mTLS calls ("exchanges"). */
    Egress egress();

    /** A certificate expiring within this period is accepted with a warning in the response. */
    @WithDefault("P30D")
    Duration expiryWarning();

    interface VaultPaths {
        /** The KV v2 mount holding this service's secrets. */
        @WithDefault("secret")
        String mount();

        /** Path below the mount; one secret per certificate at {@code <prefix>/<certificate id>}. */
        @WithDefault("keyline/certificate-service/certificates")
        String prefix();
    }

    interface Egress {
        /**
         * Allow exchanges with loopback, private and link-local addresses. Off in production so a
         * certificate cannot be aimed at internal services; tests and local runs turn it on.
         * Cloud metadata addresses stay refused either way.
         */
        @WithDefault("false")
        boolean allowPrivateAddresses();

        /** Time allowed to open the TCP connection. */
        @WithDefault("5S")
        Duration connectTimeout();

        /** Time allowed for the TLS handshake, request and whole response. */
        @WithDefault("15S")
        Duration readTimeout();

        /** Response bodies are cut at this many bytes (the result says it was truncated). */
        @WithDefault("262144")
        int maxResponseBytes();
    }
}
