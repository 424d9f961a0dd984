package dev.keyline.certificate.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.keyline.certificate.config.CertificateServiceConfig;
import dev.keyline.certificate.persistence.CertificateConsumerEntity;
import dev.keyline.certificate.persistence.CertificateEntity;
import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.security.Caller;

/**
 * Registers who uses a certificate (connection-service's API connectors), so that deleting it while
 * in use is refused with the users named. Registering and unregistering are idempotent: a retried
 * call changes nothing. Both lock the certificate row ({@code SELECT … FOR UPDATE}, as
 * {@link CertificateService#delete} does), so a registration and a deletion never both succeed.
 */
@ApplicationScoped
public class CertificateConsumers {

    @Inject
    AuditTrail audit;

    @Inject
    Caller caller;

    @Inject
    CertificateServiceConfig config;

    /** What the service knows of a consumer; true when it was not registered before. */
    public record Registration(CertificateConsumerEntity consumer, boolean created) {
    }

    @Transactional
    public Registration register(UUID certificateId, String consumerId, String name, String service) {
        locked(certificateId);
        CertificateConsumerEntity c = CertificateConsumerEntity.find(certificateId, consumerId);
        boolean created = c == null;
        if (created) {
            requireRoomForOneMore(certificateId);
            c = new CertificateConsumerEntity();
            c.id = UUID.randomUUID();
            c.certificateId = certificateId;
            c.consumerId = consumerId;
        }
        c.name = name;
        c.service = service;
        c.registeredAt = Instant.now();
        c.registeredBy = caller.name();
        c.persist();
        audit.success("certificate.consumer.register", CertificateService.RESOURCE, certificateId.toString(), null,
                "consumer=" + service + "/" + consumerId + " name=" + name + (created ? "" : " (again)"));
        return new Registration(c, created);
    }

    /** Removes the consumer; one that is not registered is no error (the call may be a retry). */
    @Transactional
    public void unregister(UUID certificateId, String consumerId) {
        locked(certificateId);
        CertificateConsumerEntity c = CertificateConsumerEntity.find(certificateId, consumerId);
        if (c != null) {
            c.delete();
        }
        audit.success("certificate.consumer.unregister", CertificateService.RESOURCE, certificateId.toString(), null,
                "consumer=" + (c == null ? consumerId + " (was not registered)" : c.service + "/" + consumerId + " name=" + c.name));
    }

    public List<CertificateConsumerEntity> of(UUID certificateId) {
        return CertificateConsumerEntity.of(certificateId);
    }

    /** 409 {@code certificate-in-use} naming the consumers, when there are any. Call under the row lock. */
    static void requireUnused(CertificateEntity e) {
        List<CertificateConsumerEntity> consumers = CertificateConsumerEntity.of(e.id);
        if (!consumers.isEmpty()) {
            throw new CertificateInUseException(e, consumers);
        }
    }

    /** Under the row lock, so concurrent registrations cannot pass the ceiling together. */
    private void requireRoomForOneMore(UUID certificateId) {
        int max = config.consumers().maxPerCertificate();
        if (CertificateConsumerEntity.countOf(certificateId) >= max) {
            throw new ProblemException(409, "too-many-consumers", "Too many consumers",
                    "Certificate " + certificateId + " already has the most consumers one certificate may have ("
                            + max + "); unregister one it no longer has, or use another certificate",
                    List.of(new FieldError("consumerId", "certificate already has " + max + " consumers")));
        }
    }

    private static CertificateEntity locked(UUID certificateId) {
        CertificateEntity e = CertificateEntity.findById(certificateId, LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            throw ProblemException.notFound("Certificate", certificateId);
        }
        return e;
    }
}
