package dev.keyline.connection.work;

import java.util.concurrent.Callable;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.work.BoundedWork;
import dev.keyline.common.work.WorkPools;
import dev.keyline.connection.config.ConnectionServiceConfig;
import io.quarkus.runtime.Startup;

/**
 * The service's bounded pools: {@code keys} (every key parse: uploads, swaps, candidate keys, stored
 * keys not yet cached) and {@code snowflake} (JDBC sessions, on virtual threads so that cancelling
 * one past its deadline closes its socket). Heavy or hanging work fills these, never the request
 * threads; a full pool answers 503 with Retry-After. Started eagerly so the readiness checks
 * {@code work-keys} and {@code work-snowflake} exist from the start.
 */
@Startup
@ApplicationScoped
public class ConnectionWork {

    @Inject
    WorkPools pools;

    @Inject
    ConnectionServiceConfig config;

    private BoundedWork keys;
    private BoundedWork snowflake;

    @PostConstruct
    void init() {
        ConnectionServiceConfig.Work w = config.work();
        keys = pools.create("keys", "key parsing and decryption", w.keyThreads(), w.keyQueue(), false,
                w.retryAfterSeconds(), w.saturatedAfter(), WorkPools.fractionOf(w.keyThreads(), 1, w.keyTasksPerCaller()),
                w.keyTasksPerServiceAccount());
        // A caller's share is a quarter of the sessions, so one caller cannot hold them all; a configured
        // service account (rotation-service) keeps the threads' number.
        snowflake = pools.create("snowflake", "Snowflake sessions", w.snowflakeThreads(), w.snowflakeQueue(), true,
                w.retryAfterSeconds(), w.saturatedAfter(),
                WorkPools.fractionOf(w.snowflakeThreads(), 4, w.snowflakeSessionsPerCaller()),
                WorkPools.fractionOf(w.snowflakeThreads(), 1, w.snowflakeSessionsPerServiceAccount()));
    }

    /**
     * Runs {@code task} on the key pool and waits; 503 {@code busy} with Retry-After when the pool is full,
     * 429 {@code too-many-requests} when the caller already has its share of it running or waiting.
     */
    public <T> T keys(Callable<T> task) {
        return keys.call(task);
    }

    /**
     * Runs the parse of a key this service stored on the key pool and waits; 503 when the pool is full,
     * never 429: its cost was accepted when it was stored (plain PKCS#8 since), not chosen by this caller.
     */
    public <T> T storedKeys(Callable<T> task) {
        return keys.callUncounted(task);
    }

    public BoundedWork keyPool() {
        return keys;
    }

    public BoundedWork snowflakePool() {
        return snowflake;
    }
}
