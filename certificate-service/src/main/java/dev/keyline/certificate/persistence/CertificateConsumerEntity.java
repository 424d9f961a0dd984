package dev.keyline.certificate.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/**
 * One user of a certificate registered by another service (an API connector of connection-service):
 * while any exists, the certificate cannot be deleted.
 */
@Entity
@Table(name = "certificate_consumer")
public class CertificateConsumerEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "certificate_id", nullable = false)
    public UUID certificateId;

    /** The consumer's id in its own service (a connection id). */
    @Column(name = "consumer_id", nullable = false)
    public String consumerId;

    @Column(nullable = false)
    public String name;

    /** The service the consumer lives in ({@code connection-service}). */
    @Column(nullable = false)
    public String service;

    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    @Column(name = "registered_by", nullable = false)
    public String registeredBy;

    public static CertificateConsumerEntity find(UUID certificateId, String consumerId) {
        return find("certificateId = ?1 and consumerId = ?2", certificateId, consumerId).firstResult();
    }

    public static long countOf(UUID certificateId) {
        return count("certificateId", certificateId);
    }

    public static List<CertificateConsumerEntity> of(UUID certificateId) {
        return list("certificateId", Sort.ascending("name", "consumerId"), certificateId);
    }
}
