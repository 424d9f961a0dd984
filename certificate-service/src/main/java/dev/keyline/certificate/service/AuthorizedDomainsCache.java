package dev.keyline.certificate.service;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.keyline.certificate.AuthorizedDomains;
import dev.keyline.certificate.AuthorizedDomains.InvalidDomainsException;
import dev.keyline.certificate.config.CertificateServiceConfig;
import dev.keyline.certificate.persistence.CertificateEntity;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;

/**
 * The parsed {@link AuthorizedDomains} of each certificate row version, at most
 * {@code certificate-service.authorized-domains.max-entries} of them (least recently used go first).
 *
 * <p>
 * Why: every exchange and authorization check used to parse and normalise (IDNA, IPv6 forms) the
 * stored rules again; the exchange profile showed it on every call. Keyed by (id, row version):
 * every change of a row moves its JPA {@code @Version}, so an entry is never stale, on any replica,
 * without invalidation. Give it rows as read from the database, never one changed in the current
 * transaction (its version moves only at flush).
 */
@ApplicationScoped
public class AuthorizedDomainsCache {

    record RowVersion(UUID id, long version) {
    }

    @Inject
    CertificateServiceConfig config;

    private Cache<RowVersion, AuthorizedDomains> entries;

    @PostConstruct
    void init() {
        entries = Caffeine.newBuilder().maximumSize(config.authorizedDomains().maxEntries()).build();
    }

    /** The row's rules, parsed once per row version; a parse failure is thrown and nothing is kept. */
    public AuthorizedDomains of(CertificateEntity certificate) {
        return of(certificate.id, certificate.version, certificate.authorizedDomains);
    }

    /** As {@link #of(CertificateEntity)}, for a row read without its entity ({@code ExchangeRows}). */
    public AuthorizedDomains of(UUID id, long version, List<String> rules) {
        return entries.get(new RowVersion(id, version), v -> parseStored(id, rules));
    }

    /**
     * Stored rules as they are accepted today. A rule stored before a rule became stricter (a wildcard over
     * a name the public suffix list covers with a wildcard rule) is refused here too: nothing is presented
     * under it, and the answer says which entry and how to mend it, where it was a 500.
     */
    static AuthorizedDomains parseStored(UUID id, List<String> rules) {
        try {
            return AuthorizedDomains.parse(rules);
        } catch (InvalidDomainsException e) {
            List<FieldError> errors = e.errors().stream()
                    .map(error -> new FieldError("authorizedDomains[" + error.index() + "]", error.reason())).toList();
            throw new ProblemException(409, "authorized-domains-refused", "Authorized domains refused",
                    "Certificate " + id + " has stored authorized domains that are no longer accepted, so it is "
                            + "presented nowhere; replace them with PUT /api/v1/certificates/" + id, errors);
        }
    }
}
