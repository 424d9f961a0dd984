package dev.keyline.certificate.service;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import dev.keyline.certificate.egress.ClientTlsContext;
import dev.keyline.certificate.persistence.CertificateEntity;
import dev.keyline.certificate.vault.CertificateSecrets;
import dev.keyline.certificate.vault.StoredMaterial;
import dev.keyline.keys.Certificates;
import dev.keyline.keys.ParsedPrivateKey;
import dev.keyline.keys.PrivateKeys;

/**
 * One {@link ClientTlsContext} per certificate version. Building one means a Vault read, key
 * decryption and SSLContext set-up (about 9 ms); reusing it makes a warm mTLS call cost well under
 * a millisecond and lets TLS sessions resume. A newer version in the database replaces the entry.
 */
@ApplicationScoped
public class TlsContextCache {

    private record Entry(int vaultVersion, ClientTlsContext context) {
    }

    private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();

    @Inject
    CertificateSecrets secrets;

    public ClientTlsContext contextFor(CertificateEntity certificate) {
        Entry entry = entries.get(certificate.id);
        if (entry != null && entry.vaultVersion() == certificate.vaultVersion) {
            return entry.context();
        }
        ClientTlsContext context = build(secrets.read(certificate.id, certificate.vaultVersion));
        entries.put(certificate.id, new Entry(certificate.vaultVersion, context));
        return context;
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_COMPLETION) CertificateChanged changed) {
        entries.remove(changed.id());
    }

    int size() {
        return entries.size();
    }

    private static ClientTlsContext build(StoredMaterial material) {
        ParsedPrivateKey key = PrivateKeys.parse(material.privateKeyPem(), material.passphraseChars());
        List<X509Certificate> chain = Certificates.parseChain(material.certificatePem());
        List<X509Certificate> cas = material.caCertificatePem() == null ? List.of()
                : Certificates.parseChain(material.caCertificatePem());
        return new ClientTlsContext(key.privateKey(), chain.toArray(X509Certificate[]::new), cas);
    }
}
