package dev.keyline.certificate.persistence;

import java.util.List;
import java.util.UUID;

/**
 * What an exchange needs of a certificate's row: the row version its parsed rules are cached under,
 * the Vault version its key is read at, the fingerprint its audit event names, and the rules.
 */
public record ExchangeRow(UUID id, long version, int vaultVersion, String sha256Fingerprint,
        List<String> authorizedDomains) {
}
