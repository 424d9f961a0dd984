package dev.keyline.common.vault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import dev.keyline.common.logging.FailureText;

import dev.keyline.common.tracing.Spans;
import io.opentelemetry.api.trace.SpanKind;

import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.VaultClientException;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2ReadSecretData;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2UpdateSecretOptions;

/**
 * One service's corner of a Vault KV v2 mount: secrets at {@code <prefix>/<key>}. Every write is
 * check-and-set, so two writers can never silently overwrite each other, and reads ask for an
 * exact version, so a database row always reads the material it was written with. Failures
 * become {@link VaultUnavailableException}, {@link VaultVersionConflictException} or
 * {@link SecretNotFoundException}, none of which carries data.
 */
public class KvStore {

    private static final Logger LOG = Logger.getLogger(KvStore.class);

    private final VaultClient vault;
    private final String mount;
    private final String prefix;
    private final Duration timeout;

    /** The longest a readiness ping waits for Vault. */
    static final long PING_TIMEOUT_MILLIS = 2000;

    /** {@code timeout} bounds every call ({@link VaultConfig#timeout()}); past it Vault counts as unavailable. */
    public KvStore(VaultClient vault, String mount, String prefix, Duration timeout) {
        this.vault = vault;
        this.mount = mount;
        this.prefix = prefix;
        this.timeout = timeout;
    }

    public String pathOf(String key) {
        return prefix + "/" + key;
    }

    /**
     * Writes a new version. {@code expectedVersion} 0 means "must not exist yet".
     *
     * @return the version Vault assigned
     */
    public int write(String key, Map<String, Object> data, int expectedVersion) {
        return startWrite(key, data, expectedVersion).await();
    }

    /** A write sent to Vault whose answer has not been awaited yet. */
    @FunctionalInterface
    public interface PendingWrite {
        /** Waits for Vault's answer (within the timeout); failures as for {@link KvStore#write}. */
        int await();
    }

    /**
     * Sends a write and returns at once, so the caller can do other work (a database insert) while
     * Vault answers. The caller must {@link PendingWrite#await await} it before relying on it.
     */
    public PendingWrite startWrite(String key, Map<String, Object> data, int expectedVersion) {
        CompletionStage<VaultSecretsKV2ReadSecretData> sent = kv().updateSecret(pathOf(key),
                new VaultSecretsKV2UpdateSecretOptions().setCas(expectedVersion), data);
        return () -> {
            VaultSecretsKV2ReadSecretData written = await("write", sent);
            // Vault answers a write with the new version's metadata as "data", which quarkus-vault 4.7
            // maps into a read-shaped model where it is lost. Check-and-set makes it certain anyway:
            // the write only succeeded because the current version was expectedVersion.
            if (written != null && written.getMetadata() != null && written.getMetadata().getVersion() != null) {
                return written.getMetadata().getVersion();
            }
            return expectedVersion + 1;
        };
    }

    /** The newest version Vault holds of the secret (destroyed ones included); 0 when there is none. */
    public int currentVersion(String key) {
        try {
            Integer current = await("read metadata", kv().readSecretMetadata(pathOf(key))).getCurrentVersion();
            return current == null ? 0 : current;
        } catch (SecretNotFoundException e) {
            return 0;
        }
    }

    /** Reads one exact version. */
    public Map<String, Object> read(String key, int version) {
        Map<String, Object> data = await("read", kv().readSecret(pathOf(key), version)).getData();
        if (data == null) {
            // Deleted or destroyed versions come back with metadata but no data.
            throw new SecretNotFoundException();
        }
        return data;
    }

    /** Removes the secret with every version and its metadata. Absent is fine: deleting twice is harmless. */
    public void deleteAll(String key) {
        try {
            await("delete", kv().deleteSecretMetadata(pathOf(key)));
        } catch (SecretNotFoundException e) {
            // already gone
        }
    }

    /** Permanently destroys one version: used to undo a write whose database transaction did not commit. */
    public void destroyVersion(String key, int version) {
        destroyVersions(key, List.of(version));
    }

    /** Permanently destroys these versions (one call). */
    public void destroyVersions(String key, List<Integer> versions) {
        await("destroy", kv().destroySecretVersions(pathOf(key), versions));
    }

    /**
     * Checks that Vault answers and accepts our token, for readiness probes: within 2 s at most (less
     * when the configured timeout is shorter), so a Vault that does not answer is reported inside a
     * probe's own timeout (Kubernetes: 5 s) instead of the probe timing out with nothing said.
     */
    public void ping() {
        try {
            await("ping", kv().listSecrets(prefix), Math.min(timeout.toMillis(), PING_TIMEOUT_MILLIS));
        } catch (SecretNotFoundException e) {
            // Nothing stored yet: Vault answered and accepted the token.
        }
    }

    private VaultSecretsKV2 kv() {
        return vault.secrets().kv2(mount);
    }

    private <T> T await(String operation, CompletionStage<T> stage) {
        return await(operation, stage, timeout.toMillis());
    }

    private <T> T await(String operation, CompletionStage<T> stage, long timeoutMillis) {
        return Spans.in("vault kv " + operation, SpanKind.CLIENT,
                new String[] { "keyline.vault.mount", mount, "keyline.vault.operation", operation },
                () -> awaitTraced(operation, stage, timeoutMillis));
    }

    private <T> T awaitTraced(String operation, CompletionStage<T> stage, long timeoutMillis) {
        try {
            return stage.toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultUnavailableException(operation, "interrupted");
        } catch (TimeoutException e) {
            LOG.logf(level(operation), "Vault %s timed out after %d ms", operation, timeoutMillis);
            throw new VaultUnavailableException(operation, "no answer within " + timeoutMillis + " ms");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof VaultClientException vce) {
                Integer status = vce.getStatus();
                if (status != null && status == 404) {
                    throw new SecretNotFoundException();
                }
                if (status != null && status == 400) {
                    throw new VaultVersionConflictException();
                }
                LOG.logf(level(operation), "Vault %s failed with HTTP %s", operation, status);
                throw new VaultUnavailableException(operation, status);
            }
            // Connection refused, TLS failure and the like: the class and its message (Netty's names the
            // address: "Connection refused: /10.0.0.5:8200") say what failed; neither carries a secret.
            String reason = reason(cause);
            LOG.logf(level(operation), "Vault %s failed: %s", operation, reason);
            throw new VaultUnavailableException(operation, reason);
        }
    }

    /** A readiness probe's failure is logged by HealthTransitions when readiness changes, not once per probe. */
    private static Logger.Level level(String operation) {
        return operation.equals("ping") ? Logger.Level.DEBUG : Logger.Level.WARN;
    }

    /**
     * "SimpleName: message", the message cut at 200 characters. A NullPointerException is the Vault
     * client failing on an answer without an HTTP status (a connection closed mid-answer, seen when Vault or
     * this process was paused): said so, instead of a JDK message about a field nobody here has.
     */
    static String reason(Throwable cause) {
        if (cause instanceof NullPointerException) {
            return "no usable answer (the Vault client failed on it: NullPointerException)";
        }
        return FailureText.of(cause);
    }
}
