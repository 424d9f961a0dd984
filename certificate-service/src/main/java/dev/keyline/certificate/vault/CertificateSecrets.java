package dev.keyline.certificate.vault;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.certificate.config.CertificateServiceConfig;
import dev.keyline.common.vault.KvStore;
import io.quarkus.vault.client.VaultClient;

/**
 * The certificate-service's material in Vault: one KV v2 secret per certificate, holding the
 * certificate PEM, the private key and the CA certificate. Keys are written as plain PKCS#8 (decrypted
 * once at upload; Vault encrypts them at rest); versions written before that hold the key as uploaded
 * and its passphrase, and are still read.
 */
@ApplicationScoped
public class CertificateSecrets {

    @Inject
    VaultClient vault;

    @Inject
    CertificateServiceConfig config;

    private KvStore store;

    @PostConstruct
    void init() {
        store = new KvStore(vault, config.vault().mount(), config.vault().prefix());
    }

    public String pathOf(UUID id) {
        return store.pathOf(id.toString());
    }

    /** Writes a new version; {@code expectedVersion} 0 means "must not exist yet". Returns the new version. */
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
        return store.write(id.toString(), data, expectedVersion);
    }

    public StoredMaterial read(UUID id, int version) {
        Map<String, Object> d = store.read(id.toString(), version);
        return new StoredMaterial((String) d.get("certificate"), (String) d.get("private_key"),
                (String) d.get("passphrase"), (String) d.get("ca_certificate"));
    }

    public void deleteAll(UUID id) {
        store.deleteAll(id.toString());
    }

    public void destroyVersion(UUID id, int version) {
        store.destroyVersion(id.toString(), version);
    }

    public void ping() {
        store.ping();
    }
}
