package dev.keyline.connection.rest;

import static dev.keyline.common.testing.AuthorizationMatrix.accepts;
import static dev.keyline.connection.Permissions.MANAGE;
import static dev.keyline.connection.Permissions.READ;
import static dev.keyline.connection.Permissions.ROTATE;
import static dev.keyline.connection.Permissions.USE;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.AuthorizationMatrix;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every operation of connection-service's OpenAPI document × every permission of the system
 * (issue #10, item 8). A new endpoint fails this test until it has a line here. {@code rotate}
 * appears exactly on what rotation-service's scheduled work calls.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    static final String C = "/api/v1/connections";

    static final Map<String, AuthorizationMatrix.Access> TABLE = Map.ofEntries(
            Map.entry("GET " + C, accepts(READ, USE, MANAGE)),
            Map.entry("POST " + C, accepts(MANAGE)),
            Map.entry("GET " + C + "/{id}", accepts(READ, USE, MANAGE, ROTATE)),
            Map.entry("PUT " + C + "/{id}", accepts(MANAGE)),
            Map.entry("DELETE " + C + "/{id}", accepts(MANAGE)),
            Map.entry("GET " + C + "/{id}/permissions/manage", accepts(MANAGE)),
            Map.entry("POST " + C + "/{id}/test", accepts(USE, ROTATE)),
            Map.entry("GET " + C + "/{id}/browse", accepts(USE)),
            Map.entry("POST " + C + "/{id}/requests", accepts(USE)),
            Map.entry("GET " + C + "/{id}/key-slots", accepts(USE, ROTATE)),
            Map.entry("GET " + C + "/{id}/key-holders", accepts(READ, USE, MANAGE, ROTATE)),
            Map.entry("GET " + C + "/{id}/setup-sql", accepts(READ, USE, MANAGE)),
            Map.entry("PUT " + C + "/{id}/key-slots/{slot}", accepts(MANAGE, ROTATE)),
            Map.entry("DELETE " + C + "/{id}/key-slots/{slot}", accepts(MANAGE, ROTATE)),
            Map.entry("PUT " + C + "/{id}/credentials", accepts(MANAGE, ROTATE)),
            Map.entry("POST " + C + "/{id}/credentials/test", accepts(USE, ROTATE)),
            Map.entry("GET /api/v1/audit-events", accepts(READ, USE, MANAGE)));

    @Test
    void anOperationWithoutAnEntryFailsTheMatrix() {
        Map<String, AuthorizationMatrix.Access> partial = new HashMap<>(TABLE);
        partial.remove("GET " + C + "/{id}/browse");
        assertThatThrownBy(() -> new AuthorizationMatrix(partial).verify(openapi)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET " + C + "/{id}/browse: no entry");
    }

    @Test
    void aMethodNoOperationHasIs405NamingTheOnesThatExist() {
        AuthorizationMatrix.verifyMethodNotAllowed(openapi);
    }

    @Test
    void everyOperationAcceptsExactlyItsPermissions() {
        new AuthorizationMatrix(TABLE).parameter("slot", "2").verify(openapi);
    }
}
