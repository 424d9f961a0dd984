package dev.keyline.connection.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

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

    /** Bounded pools for heavy work: key parsing and Snowflake sessions. */
    Work work();

    /** Parsed stored keys kept in memory. */
    KeyCache keyCache();

    interface Work {
        /**
         * Threads parsing and decrypting keys (create, credential swap, candidate-key test, stored keys
         * not yet cached). A KDF is pure CPU: one thread per core you want to give it.
         */
        @WithDefault("1")
        int keyThreads();

        /** Key work waiting for a thread; beyond it, requests get 503 problem+json with Retry-After. */
        @WithDefault("16")
        int keyQueue();

        /**
         * Key work one caller (token subject) may have running or waiting at once for keys it sends
         * (a stored key's parse is not counted); beyond it, 429 problem+json with Retry-After. Unset: as
         * many as the pool's threads (1 by default), so one caller sending keys at the KDF ceiling (about
         * 1.2 s of CPU each) delays anyone else's key work by at most one of its keys per thread, not by
         * four. A request needs one key task at a time, so a caller sending keys one after another is
         * never refused. 0: no limit.
         */
        OptionalInt keyTasksPerCaller();

        /**
         * The same for a configured service account ({@code keyline.security.service-accounts}, e.g.
         * rotation-service, whose credential swaps send keys): one identity for all its replicas' workers,
         * whose swaps would refuse one another at a person's share (they are retried, but later, and a retried
         * run may be taken over by another replica). As large as the key queue: every worker of two replicas
         * (4 each) can check or swap a key at once. 0: no limit.
         */
        @WithDefault("16")
        int keyTasksPerServiceAccount();

        /** Snowflake JDBC sessions open at once (each a login plus its statements). */
        @WithDefault("16")
        int snowflakeThreads();

        /** Snowflake operations waiting for a session slot; beyond it, 503 with Retry-After. */
        @WithDefault("64")
        int snowflakeQueue();

        /**
         * Snowflake sessions one caller (token subject) may have running or waiting at once; beyond it,
         * 429 problem+json with Retry-After. Unset: a quarter of the session threads (4 of 16), at least 1.
         * A share as large as the pool let one caller (connections with {@code timeoutSecs} 600 against a
         * host that never answers) hold every session for ten minutes while everyone else's tests waited
         * and timed out. 0: no limit.
         */
        OptionalInt snowflakeSessionsPerCaller();

        /**
         * The share of a configured service account ({@code keyline.security.service-accounts}, e.g.
         * rotation-service): its one identity serves all its replicas' workers, and each of their calls
         * keeps its place until its session's logout ends, so a person's share refused them among
         * themselves. Unset: as many as the session threads (the queue still has room for others). 0: no limit.
         */
        OptionalInt snowflakeSessionsPerServiceAccount();

        /** The Retry-After (seconds) a refused client is told. */
        @WithDefault("2")
        int retryAfterSeconds();

        /** A pool whose queue stays full this long turns readiness DOWN (checks {@code work-keys}, {@code work-snowflake}). */
        @WithDefault("5S")
        Duration saturatedAfter();
    }

    interface KeyCache {
        /** Parsed stored keys kept, one per (connection, Vault version); least recently used go first. */
        @WithDefault("1000")
        int maxEntries();
    }

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

        /** How long after start the warm-up begins: start-up and the first readiness answers come first. */
        @WithDefault("3S")
        Duration warmUpDelay();

        /** Logged-in sessions of key-admin connections kept for their next key-slot operation. */
        AdminSessions adminSessions();
    }

    /**
     * Key-admin operations (DESC USER, ALTER USER SET/UNSET RSA_PUBLIC_KEY[_2]) reuse an idle session
     * of the same admin connection, row and key instead of logging in each time; logins that prove a
     * key works (test, candidate key, swap) are always fresh.
     */
    interface AdminSessions {
        /** How long an unused session is kept before it is logged out. */
        @WithDefault("60S")
        Duration idleTime();

        /** Idle sessions kept per key-admin connection; 0 turns reuse off (every operation logs in). */
        @WithDefault("4")
        int maxIdle();

        /** Idle sessions kept for all key-admin connections together; beyond it, sessions are logged out. */
        @WithDefault("64")
        int maxIdleTotal();
    }

    interface CertificateService {
        /**
         * certificate-service's readiness URL, probed in the background: shown in {@code /q/health}
         * (wellness, never readiness) and as {@code keyline_peer_up{peer="certificate-service"}}.
         */
        @WithDefault("http://localhost:9081/q/health/ready")
        String healthUrl();

        /** How often that URL is probed. */
        @WithDefault("10S")
        Duration probeInterval();
    }
}
