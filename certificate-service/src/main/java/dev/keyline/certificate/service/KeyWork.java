package dev.keyline.certificate.service;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.certificate.config.CertificateServiceConfig;
import dev.keyline.common.work.BoundedWork;
import dev.keyline.common.work.WorkPools;
import io.quarkus.runtime.Startup;

/**
 * The bounded pool every key parse runs on (upload validation, stored keys read back): a key whose
 * KDF is expensive can occupy this pool, never the request threads that serve lists and reads, and one
 * caller only its share of it ({@code key-tasks-per-caller}, 429 past it).
 * Started eagerly so its readiness check ({@code work-keys}) and gauges exist from the start.
 */
@Startup
@ApplicationScoped
public class KeyWork {

    @Inject
    WorkPools pools;

    @Inject
    CertificateServiceConfig config;

    private BoundedWork keys;

    @PostConstruct
    void init() {
        CertificateServiceConfig.Work w = config.work();
        keys = pools.create("keys", "key parsing and decryption", w.keyThreads(), w.keyQueue(), false,
                w.retryAfterSeconds(), w.saturatedAfter(), WorkPools.fractionOf(w.keyThreads(), 1, w.keyTasksPerCaller()));
    }

    /** Runs {@code task} on the key pool and waits; 503 {@code busy} with Retry-After when the pool is full. */
    public <T> T call(Callable<T> task) {
        return keys.call(task);
    }

    /**
     * Runs the parse of key material this service stored and waits; 503 when the pool is full, never 429:
     * its cost was accepted at upload, not chosen by this caller (an exchange needing a key not yet cached).
     */
    public <T> T callStored(Callable<T> task) {
        return keys.callUncounted(task);
    }

    /** Starts {@code task} on the key pool; {@link #join} waits for it. 503 {@code busy} when the pool is full. */
    public <T> FutureTask<T> submit(Callable<T> task) {
        return keys.submit(task);
    }

    public <T> T join(FutureTask<T> task) {
        return keys.join(task);
    }

    /** Stops a task that is no longer wanted (queued: removed; running: interrupted). */
    public void cancel(FutureTask<?> task) {
        keys.cancel(task);
    }

    public BoundedWork pool() {
        return keys;
    }
}
