package dev.keyline.e2e.keycloak;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;
import io.restassured.http.ContentType;

/**
 * A partner's API that wants a client certificate ({@link MtlsServer} with fresh test CAs), the
 * certificate stored at certificate-service for it (authorized for that server only), and API
 * connectors at connection-service presenting it: what an API-connector test sets up first.
 */
final class PartnerApi implements AutoCloseable {

    final MtlsServer server;
    final String certificateId;
    final String certificateName;
    private final KeycloakStack stack;

    /** Starts the partner's server and stores the client certificate {@code CN=clientName} with {@code bearer}. */
    PartnerApi(KeycloakStack stack, String bearer, String clientName) throws IOException {
        this.stack = stack;
        Issued clientCa = TestPki.ca(clientName + " client CA");
        Issued client = TestPki.client(clientCa, clientName);
        Issued serverCa = TestPki.ca(clientName + " server CA");
        server = new MtlsServer(TestPki.server(serverCa, "localhost", "localhost", "127.0.0.1"), clientCa);
        String pass = "pass-" + UUID.randomUUID();
        Map<String, Object> body = new LinkedHashMap<>();
        certificateName = clientName + "-" + UUID.randomUUID().toString().substring(0, 8);
        body.put("name", certificateName);
        body.put("authorizedDomains", List.of("localhost:" + server.port()));
        body.put("clientCertificate", client.certificatePem());
        body.put("clientKey", client.encryptedPkcs8Pem(pass.toCharArray()));
        body.put("passphrase", pass);
        body.put("caCertificate", serverCa.certificatePem());
        certificateId = given().baseUri(stack.certificateUrl).header("Authorization", bearer)
                .contentType(ContentType.JSON).body(body).when().post("/api/v1/certificates").then().statusCode(201)
                .extract().path("id");
    }

    /** The URL of {@code path} on the partner's server. */
    String url(String path) {
        return "https://localhost:" + server.port() + path;
    }

    /** An API connector for {@code <server>/partner/} presenting the certificate; its id. */
    String connector(String bearer, String name) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "api");
        details.put("baseUrl", url("/partner/"));
        details.put("certificateId", certificateId);
        return given().baseUri(stack.connectionUrl).header("Authorization", bearer).contentType(ContentType.JSON)
                .body(Map.of("name", name, "details", details)).when().post("/api/v1/connections").then()
                .statusCode(201).extract().path("id");
    }

    @Override
    public void close() {
        server.close();
    }
}
