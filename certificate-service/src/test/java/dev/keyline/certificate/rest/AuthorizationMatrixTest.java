package dev.keyline.certificate.rest;

import static dev.keyline.common.testing.AuthorizationMatrix.accepts;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.certificate.Permissions;
import dev.keyline.common.testing.AuthorizationMatrix;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every operation of certificate-service's OpenAPI document × every permission of the system
 * (issue #10, item 8). A new endpoint fails this test until it has a line here.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    /** What each operation accepts: reading takes read, use or manage; presenting takes use only. */
    static final Map<String, AuthorizationMatrix.Access> TABLE = Map.of(
            "GET /api/v1/certificates", accepts(Permissions.READ, Permissions.USE, Permissions.MANAGE),
            "POST /api/v1/certificates", accepts(Permissions.MANAGE),
            "GET /api/v1/certificates/{id}", accepts(Permissions.READ, Permissions.USE, Permissions.MANAGE),
            "PUT /api/v1/certificates/{id}", accepts(Permissions.MANAGE),
            "DELETE /api/v1/certificates/{id}", accepts(Permissions.MANAGE),
            "GET /api/v1/certificates/{id}/authorization", accepts(Permissions.READ, Permissions.USE, Permissions.MANAGE),
            "POST /api/v1/certificates/{id}/exchange", accepts(Permissions.USE),
            // Binding a certificate to a connector is a use of it: the caller's own certificates:use.
            "PUT /api/v1/certificates/{id}/consumers/{consumerId}", accepts(Permissions.USE),
            "DELETE /api/v1/certificates/{id}/consumers/{consumerId}", accepts(Permissions.USE),
            "GET /api/v1/audit-events", accepts(Permissions.READ, Permissions.USE, Permissions.MANAGE));

    @Test
    void anOperationWithoutAnEntryFailsTheMatrix() {
        Map<String, AuthorizationMatrix.Access> partial = new HashMap<>(TABLE);
        partial.remove("POST /api/v1/certificates/{id}/exchange");
        assertThatThrownBy(() -> new AuthorizationMatrix(partial).verify(openapi)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("POST /api/v1/certificates/{id}/exchange: no entry");
    }

    @Test
    void aMethodNoOperationHasIs405NamingTheOnesThatExist() {
        AuthorizationMatrix.verifyMethodNotAllowed(openapi);
    }

    @Test
    void everyOperationAcceptsExactlyItsPermissions() {
        new AuthorizationMatrix(TABLE).verify(openapi);
    }
}
