package dev.keyline.certificate.vault;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.keyline.certificate.config.CertificateServiceConfig;
import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.VaultClientException;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2ReadSecretData;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2UpdateSecretOptions;

/**
 * The only place that talks to Vault for certificate material. One KV v2 secret per certificate;
 * every write is check-and-set, so two writers can never silently overwrite each other, and every
 * read asks for the exact version the database row points at.
 */
@ApplicationScoped
public class CertificateSecrets {

    private static final Logger LOG = Logger.getLogger(CertificateSecrets.class);
    private static final long TIMEOUT_SECONDS = 10;

    @Inject
    VaultClient vault;

    @Inject
    CertificateServiceConfig config;

    public String pathOf(UUID id) {
        return config.vault().prefix() + "/" + id;
    }

    /**
     * Writes a new version. {@code expectedVersion} 0 means "must not exist yet".
     *
     * @return the version Vault assigned
     */
    public int write(UUID id, StoredMaterial material, int expectedVersion) {
        Map<String, Object> data = new HashMap<>();
        data.put("certificate", material.certificatePem());
        data.put("private_key", material.privateKeyPem());
        if (material.passphrase() != null && !material.passphrase().isEmpty()) {
            data.put("passphrase", material.passphrase());
        }
        if (material.caCertificatePem() != null) {
            data.put("ca_certificate", material.caCertificatePem());
        }
        VaultSecretsKV2ReadSecretData written = await("write",
                kv().updateSecret(pathOf(id), new VaultSecretsKV2UpdateSecretOptions().setCas(expectedVersion), data));
        // Vault answers a write with the new version's metadata as "data", which quarkus-vault 4.7
        // maps into a read-shaped model where it is lost. Check-and-set makes it certain anyway:
        // the write only succeeded because the current version was expectedVersion.
        if (written != null && written.getMetadata() != null && written.getMetadata().getVersion() != null) {
            return written.getMetadata().getVersion();
        }
        return expectedVersion + 1;
    }

    public StoredMaterial read(UUID id, int version) {
        VaultSecretsKV2ReadSecretData read = await("read", kv().readSecret(pathOf(id), version));
        Map<String, Object> d = read.getData();
        if (d == null) {
            throw new VaultUnavailableException("read (version " + version + " is gone)", 404);
        }
        return new StoredMaterial((String) d.get("certificate"), (String) d.get("private_key"),
                (String) d.get("passphrase"), (String) d.get("ca_certificate"));
    }

    /** Removes the secret with every version and its metadata. Absent is fine: deleting twice is harmless. */
    public void deleteAll(UUID id) {
        await("delete", kv().deleteSecretMetadata(pathOf(id)));
    }

    /** Permanently destroys one version: used to undo a write whose database transaction did not commit. */
    public void destroyVersion(UUID id, int version) {
        await("destroy", kv().destroySecretVersions(pathOf(id), List.of(version)));
    }

    /** Checks that Vault answers and accepts our token, for the readiness probe. */
    public void ping() {
        try {
            await("ping", kv().listSecrets(config.vault().prefix()));
        } catch (NotFoundInVault e) {
            // Nothing stored yet: Vault answered and accepted the token.
        }
    }

    private VaultSecretsKV2 kv() {
        return vault.secrets().kv2(config.vault().mount());
    }

    private <T> T await(String operation, CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultUnavailableException(operation, null);
        } catch (TimeoutException e) {
            LOG.warnf("Vault %s timed out after %d s", operation, TIMEOUT_SECONDS);
            throw new VaultUnavailableException(operation, null);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof VaultClientException vce) {
                Integer status = vce.getStatus();
                if (status != null && status == 404) {
                    if ("delete".equals(operation)) {
                        return null;
                    }
                    throw new NotFoundInVault();
                }
                if (status != null && status == 400) {
                    throw new VersionConflictException();
                }
                LOG.warnf("Vault %s failed with HTTP %s", operation, status);
                throw new VaultUnavailableException(operation, status);
            }
            // Connection refused, TLS failure and the like: the class name is enough to diagnose.
            LOG.warnf("Vault %s failed: %s", operation, cause.getClass().getName());
            throw new VaultUnavailableException(operation, null);
        }
    }

    /** Vault answered 404 where a secret was expected. */
    public static class NotFoundInVault extends RuntimeException {
        NotFoundInVault() {
            super("secret not found in Vault");
        }
    }

    /** Check-and-set did not match: someone else wrote in between. */
    public static class VersionConflictException extends RuntimeException {
        VersionConflictException() {
            super("Vault check-and-set version did not match");
        }
    }
}
