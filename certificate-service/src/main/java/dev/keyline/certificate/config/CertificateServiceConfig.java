package dev.keyline.certificate.config;

import java.time.Duration;
import java.util.OptionalInt;

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

    /** The bounded pool that parses and decrypts keys (uploads, and stored keys not yet cached). */
    Work work();

    /** Parsed keys kept in memory as ready TLS contexts, one per certificate version. */
    TlsContexts tlsContexts();

    /** Parsed authorized domains kept in memory, one per certificate row version. */
    AuthorizedDomains authorizedDomains();

    /** How many list requests are served at once. */
    Listing listing();

    /** Who uses a certificate (registered consumers). */
    Consumers consumers();

    interface Consumers {
        /**
         * Consumers one certificate may have. Every GET and list of the certificate carries them all
         * (and a refused delete names them all), and registering needs only {@code certificates:use}:
         * without a ceiling one caller could make every reader's answer as large as they like.
         */
        @WithDefault("100")
        int maxPerCertificate();
    }

    interface AuthorizedDomains {
        /**
         * Certificate row versions whose parsed authorized domains stay in memory for exchanges and
         * authorization checks (least recently used go first); a few hundred bytes each.
         */
        @WithDefault("10000")
        int maxEntries();
    }

    interface Listing {
        /**
         * List requests served at once; one more is answered 503 problem+json with Retry-After
         * ({@code work.retry-after-seconds}) at once instead of queueing for a database connection.
         * Keep it below the datasource's {@code max-size} (20) so creates, reads and exchanges still get one.
         */
        @WithDefault("16")
        int maxInFlight();
    }

    interface Work {
        /**
         * Threads parsing and decrypting keys. A KDF is pure CPU: one thread per core you want to give
         * it; the rest of the API keeps the other cores.
         */
        @WithDefault("1")
        int keyThreads();

        /** Key work waiting for a thread; beyond it, uploads get 503 problem+json with Retry-After. */
        @WithDefault("16")
        int keyQueue();

        /**
         * Key work one caller (token subject) may have running or waiting at once for keys it sends
         * (a stored key's parse is not counted); beyond it, 429 problem+json with Retry-After. Unset: as
         * many as the pool's threads (1 by default), so one caller uploading keys at the KDF ceiling
         * (about 1.2 s of CPU each) delays anyone else's key work by at most one of its keys per thread.
         * An upload needs one key task, so uploads one after another are never refused. 0: no limit.
         */
        OptionalInt keyTasksPerCaller();

        /** The Retry-After (seconds) a refused client is told. */
        @WithDefault("2")
        int retryAfterSeconds();

        /** A pool whose queue stays full this long turns readiness DOWN (check {@code work-keys}). */
        @WithDefault("5S")
        Duration saturatedAfter();
    }

    interface TlsContexts {
        /** Certificate versions whose parsed key and TLS context stay in memory (least recently used go first). */
        @WithDefault("1000")
        int maxEntries();
    }

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

        /**
         * Exchanges one caller (token subject) may have running at once; one more is answered 429
         * problem+json with Retry-After ({@code work.retry-after-seconds}). Each holds a request thread
         * for up to connect-timeout + read-timeout, so without a share one caller aiming hundreds at a
         * server that never answers took every request thread, and everyone else's requests waited
         * behind them. 0: no limit.
         */
        @WithDefault("16")
        int exchangesPerCaller();

        /**
         * Exchanges one caller may have running at once through one connection pool (one certificate to
         * one host and port); one more is 429 like {@link #exchangesPerCaller()}. Unset: half of
         * {@code pool.max-connections} (4 of 8), at least 1. Without it one caller calling a slow endpoint
         * of an authorized host held all of the pool's connections, and every other caller of that
         * certificate and host waited the connect timeout and got 504. 0: no limit.
         */
        OptionalInt exchangesPerDestination();

        /** Connections kept for reuse, per (certificate version, checked address, SNI host). */
        Pool pool();
    }

    interface Pool {
        /**
         * Connections open at once per pool (in use and idle together); an exchange finding all busy
         * waits up to the connect timeout, then fails with 504.
         */
        @WithDefault("8")
        int maxConnections();

        /**
         * An idle connection is closed after this long (sooner when the server's Keep-Alive timeout
         * is shorter). Below common server keep-alive timeouts (5 s) so we close first; 0 turns reuse off.
         */
        @WithDefault("4S")
        Duration idleTimeout();
    }
}
