package dev.keyline.console.certificates;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.qute.TemplateData;

/** certificate-service's view of a certificate: metadata only (the service never returns material). */
@TemplateData
@JsonIgnoreProperties(ignoreUnknown = true)
public record Certificate(String id, String name, String description, List<String> authorizedDomains, String subject,
        String issuer, String serialNumber, Instant notBefore, Instant notAfter, long secondsUntilExpiry,
        String sha256Fingerprint, String keyAlgorithm, int keySizeBits, int chainLength, boolean hasPassphrase,
        boolean hasCaCertificate, String caSubject, Instant createdAt, String createdBy, Instant updatedAt,
        String updatedBy, long version, List<String> warnings, List<Consumer> consumers) {

    /**
     * Who uses the certificate, as certificate-service records it (API connectors register
     * themselves): known even to a person who may not list connections, and deleting is refused while any is listed.
     */
    @TemplateData
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Consumer(String id, String name, String service) {
        /** The console's page of the consumer: an API connector is one of connection-service's connections. */
        public String href() {
            return "connection-service".equals(service) ? "/connections/" + id : null;
        }
    }

    private static final long DAY = 86_400;

    public long daysLeft() {
        return Math.floorDiv(secondsUntilExpiry, DAY);
    }

    public boolean expired() {
        return secondsUntilExpiry <= 0;
    }

    /** Under 30 days left (and not yet expired): the list marks it. */
    public boolean expiresSoon() {
        return !expired() && secondsUntilExpiry < 30 * DAY;
    }

    public String domainsText() {
        return authorizedDomains == null ? "" : String.join("\n", authorizedDomains);
    }

    public List<Consumer> consumerList() {
        return consumers == null ? List.of() : consumers;
    }

    public List<String> warningList() {
        return warnings == null ? List.of() : warnings;
    }
}
