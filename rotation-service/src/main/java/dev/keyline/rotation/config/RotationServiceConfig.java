package dev.keyline.rotation.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything a deployer can set for the rotation-service, under {@code rotation-service.*}. */
@ConfigMapping(prefix = "rotation-service")
public interface RotationServiceConfig {

    VaultPaths vault();

    ConnectionService connectionService();

    Worker worker();

    Retry retry();

    /** The bounded pool for key generation and the reserve of keys generated ahead on it. */
    Work work();

    interface Work {
        /** Threads generating RSA keys (and encrypting the pending key). Pure CPU: one per core you give it. */
        @WithDefault("1")
        int keyThreads();

        /** Generations waiting for a thread; beyond it a run retries later (with backoff), type {@code busy}. */
        @WithDefault("16")
        int keyQueue();

        /** The Retry-After (seconds) of a refused request. */
        @WithDefault("2")
        int retryAfterSeconds();

        /** A pool whose queue stays full this long turns readiness DOWN (check {@code work-keys}). */
        @WithDefault("5S")
        Duration saturatedAfter();

        /**
         * Keys generated ahead, in memory, while no run waits for the key pool, so a burst of due
         * rotations takes ready keys instead of each waiting for a generation; 0 disables it. 32 is
         * eight rounds of the default worker concurrency (4): with the pool refilling between takes
         * it carried a burst of 100 in the bench (bench/README.md). It costs 32 generations on the
         * key pool after start-up (~2-5 s of one core) and ~150 KB of heap.
         */
        @WithDefault("32")
        int keyReserve();

        /** The one key size (bits) the reserve holds; runs of another size generate on demand. */
        @WithDefault("2048")
        int keyReserveKeySize();

        /** How long after start-up the reserve begins to fill, so start-up and the first runs go first. */
        @WithDefault("5S")
        Duration keyReserveDelay();

        /**
         * The reserve also holds a key for every enabled policy (of its key size) due within this
         * horizon, so a burst of scheduled rotations finds its keys made in the idle time before it;
         * 0S sizes it by {@code key-reserve} alone. Read on every scheduler round (one indexed query).
         */
        @WithDefault("15M")
        Duration keyReserveAhead();

        /**
         * Keys held at most, expected rotations included: bounds the heap (~5 KB a key) and the
         * idle-time CPU (one generation, ~0.1 s of one core, a key) a large burst can ask for. Below
         * {@code key-reserve} it is raised to it.
         */
        @WithDefault("256")
        int keyReserveMax();
    }

    interface VaultPaths {
        @WithDefault("secret")
        String mount();

        /** One secret per run at {@code <prefix>/<run id>}, deleted when the run ends. */
        @WithDefault("keyline/rotation-service/pending")
        String prefix();
    }

    interface ConnectionService {
        /**
         * connection-service's readiness URL (management port), probed in the background: shown in
         * {@code /q/health} (wellness, never readiness) and as {@code keyline_peer_up{peer="connection-service"}}.
         */
        @WithDefault("http://localhost:9082/q/health/ready")
        String healthUrl();

        /** How often that URL is probed. */
        @WithDefault("10S")
        Duration probeInterval();

        /**
         * What a call that reaches Snowflake may take besides Snowflake (Vault, the database, connection-service's
         * work pools): its bound is twice the connection's {@code timeoutSecs} + 1.5 s + this (client/SnowflakeCallBounds).
         */
        @WithDefault("30S")
        Duration snowflakeCallMargin();
    }

    interface Worker {
        /** Runs executed at once by this replica (platform threads of the worker's own pool). */
        @WithDefault("4")
        int concurrency();

        /**
         * Workers of this replica the runs of one owner may occupy at once (the owner: the person who
         * requested the run, for a scheduled run whoever last saved its policy, for a retried one who
         * retried it); its other due runs are left due, not claimed, and start when one of its runs
         * ends. Unset: all but one of {@code concurrency} (3 of 4), at least 1; 0: no limit. Without it one
         * person's runs against a Snowflake that never answers ({@code timeoutSecs} up to 600) held every
         * worker and everyone else's rotations waited about ten minutes.
         */
        OptionalInt concurrencyPerOwner();

        /**
         * A claimed run is another replica's to resume this long after its worker stopped renewing;
         * a live worker renews it every third of this while a step runs, so no step deadline bounds it.
         */
        @WithDefault("2M")
        Duration lease();

        /** PBKDF2 rounds for the pending key's encryption. */
        @WithDefault("10000")
        int pbkdf2Iterations();

        /** How often the scheduler loop claims due work (read by @Scheduled). */
        @WithDefault("5s")
        String poll();

        /** Delay of the first loop after start-up (read by @Scheduled). */
        @WithDefault("2s")
        String initialDelay();

        /** Identifies this replica in leases; default: host name + random suffix. */
        Optional<String> id();

        /**
         * On an orderly stop (SIGTERM), how long the held runs get to reach the end of their current
         * step before their leases are released anyway; must fit in the pod's
         * terminationGracePeriodSeconds after quarkus.shutdown.delay and quarkus.shutdown.timeout.
         */
        @WithDefault("25S")
        Duration shutdownWait();
    }

    interface Retry {
        @WithDefault("5S")
        Duration base();

        @WithDefault("15M")
        Duration max();

        /** maxAttempts of runs started without a policy. */
        @WithDefault("5")
        int defaultMaxAttempts();

        /**
         * A scheduled rotation that rolled back is due again this long after it ended, instead of a
         * whole schedule period later: an outage that outlasted the retries must not leave the key
         * unrotated for another 90 days.
         */
        @WithDefault("1H")
        Duration afterRollback();
    }
}
