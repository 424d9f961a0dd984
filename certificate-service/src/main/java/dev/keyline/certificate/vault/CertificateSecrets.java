package dev.keyline.certificate.vault;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

import dev.keyline.certificate.config.CertificateServiceConfig;
import dev.keyline.common.tx.AfterCommit;
import dev.keyline.common.tx.RollbackUndo;
import dev.keyline.common.vault.KvStores;
import dev.keyline.common.vault.SecretCodec;
import dev.keyline.common.vault.VaultReadinessCheck;
import dev.keyline.common.vault.VersionedSecrets;

/**
 * The certificate-service's material in Vault: one KV v2 secret per certificate, holding the
 * certificate PEM, the private key and the CA certificate. Keys are written as plain PKCS#8 (decrypted
 * once at upload; Vault encrypts them at rest); versions written before that hold the key as uploaded
 * and its passphrase, and are still read.
 */
@ApplicationScoped
public class CertificateSecrets extends VersionedSecrets<StoredMaterial> {

    /** The "vault" readiness check, for the corner of Vault this service cannot work without. */
    @Produces
    @Readiness
    HealthCheck vaultReadiness() {
        return new VaultReadinessCheck(this);
    }

    private static final SecretCodec<StoredMaterial> CODEC = SecretCodec.of(material -> {
        Map<String, Object> data = new HashMap<>();
        data.put("certificate", material.certificatePem());
        data.put("private_key", material.privateKeyPem());
        SecretCodec.putIfPresent(data, "passphrase", material.passphrase());
        if (material.caCertificatePem() != null) {
            data.put("ca_certificate", material.caCertificatePem());
        }
        return data;
    }, d -> new StoredMaterial((String) d.get("certificate"), (String) d.get("private_key"),
            (String) d.get("passphrase"), (String) d.get("ca_certificate")));

    @Inject
    CertificateSecrets(KvStores stores, RollbackUndo rollbackUndo, AfterCommit afterCommit, CertificateServiceConfig config) {
        super(stores.open(config.vault().mount(), config.vault().prefix()), CODEC, rollbackUndo, afterCommit);
    }
}
