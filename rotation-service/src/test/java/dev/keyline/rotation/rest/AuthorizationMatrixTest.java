package dev.keyline.rotation.rest;

import static dev.keyline.common.testing.AuthorizationMatrix.accepts;
import static dev.keyline.common.testing.AuthorizationMatrix.acceptsDelegating;
import static dev.keyline.rotation.Permissions.MANAGE;
import static dev.keyline.rotation.Permissions.READ;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.AuthorizationMatrix;
import dev.keyline.rotation.e2e.RotationStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every operation of rotation-service's OpenAPI document × every permission of the system (issue
 * #10, item 8). A new endpoint fails this test until it has a line here. Operations that rotate a
 * connection also need the caller's own connections:manage, which connection-service (the real
 * one) checks with the caller's token: rotations:manage alone is a 403 there.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class AuthorizationMatrixTest {

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    static final Set<String> MANAGES_THE_CONNECTION = Set.of("connections:manage");

    static final Map<String, AuthorizationMatrix.Access> TABLE = Map.ofEntries(
            Map.entry("GET /api/v1/rotation-policies", accepts(READ, MANAGE)),
            Map.entry("POST /api/v1/rotation-policies", acceptsDelegating(MANAGES_THE_CONNECTION, MANAGE)),
            Map.entry("GET /api/v1/rotation-policies/{id}", accepts(READ, MANAGE)),
            // An existing policy's change or deletion also asks connection-service with the caller's token; a random
            // id answers 404 before that question.
            Map.entry("PUT /api/v1/rotation-policies/{id}", accepts(MANAGE)),
            Map.entry("DELETE /api/v1/rotation-policies/{id}", accepts(MANAGE)),
            Map.entry("POST /api/v1/connections/{connectionId}/rotations",
                    acceptsDelegating(MANAGES_THE_CONNECTION, MANAGE)),
            Map.entry("GET /api/v1/rotations", accepts(READ, MANAGE)),
            Map.entry("GET /api/v1/rotations/{id}", accepts(READ, MANAGE)),
            // Retry and close of an existing NEEDS_ATTENTION run also ask connection-service with the
            // caller's token (RunOperationsTest: rotations:manage alone is 403 there); a random id
            // answers 400 (no reason) or 404 before that question.
            Map.entry("POST /api/v1/rotations/{id}/retry", accepts(MANAGE)),
            Map.entry("POST /api/v1/rotations/{id}/close", accepts(MANAGE)),
            Map.entry("GET /api/v1/audit-events", accepts(READ, MANAGE)));

    @Test
    void anOperationWithoutAnEntryFailsTheMatrix() {
        Map<String, AuthorizationMatrix.Access> partial = new HashMap<>(TABLE);
        partial.remove("POST /api/v1/connections/{connectionId}/rotations");
        assertThatThrownBy(() -> new AuthorizationMatrix(partial).verify(openapi)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("POST /api/v1/connections/{connectionId}/rotations: no entry");
    }

    @Test
    void aMethodNoOperationHasIs405NamingTheOnesThatExist() {
        AuthorizationMatrix.verifyMethodNotAllowed(openapi);
    }

    @Test
    void everyOperationAcceptsExactlyItsPermissions() {
        new AuthorizationMatrix(TABLE)
                .body("POST /api/v1/rotation-policies",
                        "{\"connectionId\":\"" + UUID.randomUUID() + "\",\"schedule\":\"P90D\"}")
                .verify(openapi);
    }
}
