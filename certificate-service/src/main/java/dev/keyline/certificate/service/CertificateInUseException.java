package dev.keyline.certificate.service;

import java.util.List;
import java.util.stream.Collectors;

import dev.keyline.certificate.persistence.CertificateConsumerEntity;
import dev.keyline.certificate.persistence.CertificateEntity;
import dev.keyline.common.problem.ProblemException;

/**
 * 409 {@code certificate-in-use}: the certificate still has registered consumers. The detail names
 * each by service, name and id; a consumer whose connector is already gone (its unregistration
 * failed) is removed with {@code DELETE /api/v1/certificates/{id}/consumers/{consumerId}}.
 */
public class CertificateInUseException extends ProblemException {

    private final transient List<CertificateConsumerEntity> consumers;

    CertificateInUseException(CertificateEntity e, List<CertificateConsumerEntity> consumers) {
        super(409, "certificate-in-use", "Certificate in use", "Certificate '" + e.name + "' is used by "
                + consumers.size() + " consumer(s): "
                + consumers.stream().map(c -> c.service + " '" + c.name + "' (id " + c.consumerId + ")")
                        .collect(Collectors.joining(", "))
                + ". Remove the certificate from them first; a consumer that no longer exists can be removed with "
                + "DELETE /api/v1/certificates/" + e.id + "/consumers/{id}");
        this.consumers = List.copyOf(consumers);
    }

    public List<CertificateConsumerEntity> consumers() {
        return consumers;
    }
}
