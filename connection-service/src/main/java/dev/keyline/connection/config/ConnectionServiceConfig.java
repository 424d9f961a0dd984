package dev.keyline.connection.config;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything a deployer can set for the connection-service, under {@code connection-service.*}. */
@ConfigMapping(prefix = "connection-service")
public interface ConnectionServiceConfig {

    /** Where private keys and passphrases live in Vault. */
    VaultPaths vault();

    /** How the Snowflake driver is used. */
    Snowflake snowflake();

    /** The certificate-service, through which API connectors are tested. */
    CertificateService certificateService();

    interface VaultPaths {
        /** The KV v2 mount holding this service's secrets. */
        @WithDefault("secret")
        String mount();

        /** Path below the mount; one secret per connection at {@code <prefix>/<connection id>}. */
        @WithDefault("keyline/connection-service/connections")
        String prefix();
    }

    interface Snowflake {
        /**
         * Accept {@code details.host} as {@code http://127.0.0.1:PORT} (loopback only), as the
         * snowflake-emulator serves it. Off in production: real Snowflake is HTTPS only.
         */
        @WithDefault("false")
        boolean allowPlainHttp();

        /**
         * Hosts besides the account's own Snowflake endpoints that {@code details.host} may name (a
         * proxy, a custom PrivateLink name): exact host names or {@code *.example.com}. A stored key
         * signs in nowhere else. Empty by default.
         */
        Optional<List<String>> allowedHosts();

        /** Browse lists the schemas of at most this many databases (one SHOW SCHEMAS each). */
        @WithDefault("50")
        int browseMaxDatabases();

        /** Load the driver at start-up (in the background) so the first request does not pay for it. */
        @WithDefault("true")
        boolean warmUp();
    }

    interface CertificateService {
        /** connection-service's own bearer token for certificate-service (needs certificates:manage). */
        Optional<String> token();

        /** certificate-service's readiness URL, reported in this service's readiness data. */
        @WithDefault("http://localhost:9081/q/health/ready")
        String healthUrl();

        /** Whether this service is only ready while certificate-service is. */
        @WithDefault("true")
        boolean requiredForReadiness();
    }
}
