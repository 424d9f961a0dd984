package dev.keyline.certificate.service;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

import dev.keyline.certificate.config.CertificateServiceConfig;
import dev.keyline.common.keys.KeyLimitsConfig;
import dev.keyline.certificate.egress.ClientTlsContext;
import dev.keyline.certificate.egress.PoolSettings;
import dev.keyline.certificate.vault.CertificateSecrets;
import dev.keyline.certificate.vault.StoredMaterial;
import dev.keyline.keys.Certificates;
import dev.keyline.keys.ParsedPrivateKey;
import dev.keyline.keys.PrivateKeys;

/**
 * One {@link ClientTlsContext} per certificate version, at most
 * {@code certificate-service.tls-contexts.max-entries} of them (least recently used go first).
 * Building one means a Vault read, a key parse and SSLContext set-up (about 9 ms); reusing it makes a
 * warm mTLS call cost well under a millisecond and lets TLS sessions resume.
 *
 * <p>
 * Keyed by (id, Vault version) as the row read for this request names it: a replacement or delete on
 * any replica moves the row to another version (or removes it), so a stale context is never served,
 * with no cross-replica invalidation. Keys are parsed on the bounded {@link KeyWork} pool; records
 * written before keys were stored as plain PKCS#8 still carry a passphrase and are decrypted there once.
 *
 * <p>
 * A context also owns its version's kept connections: whenever one leaves the cache (the certificate
 * changed or was deleted, or it was least recently used), its connections are closed, so a replaced
 * or deleted certificate is not presented again on a connection that is already open.
 */
@ApplicationScoped
public class TlsContextCache {

    record Version(UUID id, int vaultVersion) {
    }

    @Inject
    CertificateSecrets secrets;

    @Inject
    KeyWork keyWork;

    @Inject
    CertificateServiceConfig config;

    @Inject
    KeyLimitsConfig keyLimits;

    private Cache<Version, ClientTlsContext> entries;
    private PoolSettings pooling;

    @PostConstruct
    void init() {
        pooling = new PoolSettings(config.egress().pool().maxConnections(), config.egress().pool().idleTimeout());
        entries = Caffeine.newBuilder().maximumSize(config.tlsContexts().maxEntries())
                .removalListener((Version version, ClientTlsContext context, RemovalCause cause) -> {
                    if (context != null) {
                        context.close();
                    }
                })
                .build();
    }

    public ClientTlsContext contextFor(UUID id, int vaultVersion) {
        // Per key, Caffeine builds once: concurrent first calls for one version share one build.
        return entries.get(new Version(id, vaultVersion), v -> build(secrets.read(v.id(), v.vaultVersion())));
    }

    /**
     * Drops a changed or deleted certificate's versions (they would never be asked for again) and, through
     * the removal listener, closes their kept connections.
     */
    void onChange(@Observes(during = TransactionPhase.AFTER_COMPLETION) CertificateChanged changed) {
        entries.invalidateAll(entries.asMap().keySet().stream().filter(v -> v.id().equals(changed.id())).toList());
    }

    /** Idle kept connections of every cached version (for tests and diagnostics). */
    int idleConnections() {
        return entries.asMap().values().stream().mapToInt(context -> context.connections().idleConnections()).sum();
    }

    int size() {
        entries.cleanUp();
        return (int) entries.estimatedSize();
    }

    private ClientTlsContext build(StoredMaterial material) {
        ParsedPrivateKey key = keyWork.callStored(() -> PrivateKeys.parseStored(material.privateKeyPem(), material.passphraseChars(),
                keyLimits.kdfLimits()));
        List<X509Certificate> chain = Certificates.parseChain(material.certificatePem());
        List<X509Certificate> cas = material.caCertificatePem() == null ? List.of()
                : Certificates.parseChain(material.caCertificatePem());
        return new ClientTlsContext(key.privateKey(), chain.toArray(X509Certificate[]::new), cas, pooling);
    }
}
