package dev.keyline.connection.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.client.CertificateServiceException;
import dev.keyline.connection.persistence.ConnectionEntity;

/** certificate-service's refusals reach the caller as what they are, not as a generic 502. */
class CertificateServiceProblemsTest {

    private final ConnectionEntity connector = connector();

    @Test
    void aCertificateWithTooManyUsersIsAConflictOnTheCertificateField() {
        ProblemException p = CertificateServiceProblems.problem(
                new CertificateServiceException(409, "too-many-consumers", "already has 100 consumers"), connector);
        assertThat(p.status()).isEqualTo(409);
        assertThat(p.slug()).isEqualTo("certificate-too-many-consumers");
        assertThat(p.errors()).extracting(FieldError::field).containsExactly("details.certificateId");
    }

    @Test
    void anotherConflictAndTooManyRequestsKeepTheirMeaning() {
        assertThat(CertificateServiceProblems.problem(new CertificateServiceException(409, "certificate-in-use", "x"),
                connector).status()).isEqualTo(502);
        ProblemException busy = CertificateServiceProblems.problem(
                new CertificateServiceException(429, "too-many-requests", "retry in 2 s"), connector);
        assertThat(busy.status()).isEqualTo(429);
        assertThat(busy.getMessage()).contains("retry in 2 s");
    }

    private static ConnectionEntity connector() {
        ConnectionEntity e = new ConnectionEntity();
        e.id = UUID.randomUUID();
        e.certificateId = UUID.randomUUID();
        e.baseUrl = "https://api.example.com";
        return e;
    }
}
