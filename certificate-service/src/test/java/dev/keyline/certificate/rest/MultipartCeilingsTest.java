package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.keyline.certificate.CertificateFixtures;
import dev.keyline.common.testing.ChunkedPost;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.keys.testing.Issued;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A multipart upload's text fields take what the same JSON field takes (CertificateFiles checks both
 * against CertificateRequest's ceilings); the HTTP layer must not refuse them first.
 */
@QuarkusTest
class MultipartCeilingsTest {

    @TestHTTPResource("/")
    java.net.URL root;

    @Test
    void textFieldsUpToTheJsonCeilingsAreAccepted() {
        String name = uniqueName("ceilings");
        Issued client = CertificateFixtures.client(name);
        String key = SecretLeakGuard.secret(client.privateKeyPkcs8Pem());
        // 2000 characters (the JSON ceiling) of 2 bytes each in UTF-8: 4000 bytes, above Vert.x' 2048 default.
        String description = "é".repeat(CertificateRequest.MAX_DESCRIPTION);
        // 100 domains (the ceiling) in one comma-separated field.
        String domains = IntStream.range(0, CertificateRequest.MAX_DOMAINS)
                .mapToObj(i -> "host-" + i + "-" + "a".repeat(40) + ".example.com").collect(Collectors.joining(","));
        given().header("Authorization", MANAGER)
                .multiPart("name", name)
                .multiPart("description", description, "text/plain; charset=UTF-8")
                .multiPart("authorizedDomains", domains)
                .multiPart("clientCertificate", "client.crt", client.certificatePem().getBytes(StandardCharsets.US_ASCII),
                        "application/x-pem-file")
                .multiPart("clientKey", "client.key", key.getBytes(StandardCharsets.US_ASCII), "application/x-pem-file")
                .when().post("/api/v1/certificates")
                .then().statusCode(201)
                .body("description", equalTo(description))
                .body("authorizedDomains", hasSize(CertificateRequest.MAX_DOMAINS));
    }

    /** A form without a name, or with a blank one, is told so in the words a JSON body is. */
    @Test
    void aMissingOrBlankNameIsRefusedAsInJson() {
        Issued client = CertificateFixtures.client(uniqueName("nameless"));
        String key = SecretLeakGuard.secret(client.privateKeyPkcs8Pem());
        for (String name : new String[] { null, "   " }) {
            var form = given().header("Authorization", MANAGER);
            if (name != null) {
                form = form.multiPart("name", name);
            }
            form.multiPart("authorizedDomains", "api.example.com")
                    .multiPart("clientCertificate", "client.crt", client.certificatePem().getBytes(StandardCharsets.US_ASCII),
                            "application/x-pem-file")
                    .multiPart("clientKey", "client.key", key.getBytes(StandardCharsets.US_ASCII), "application/x-pem-file")
                    .when().post("/api/v1/certificates")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:keyline:problem:invalid-request"))
                    .body("errors", hasSize(1))
                    .body("errors[0].field", equalTo("name"))
                    .body("errors[0].reason", equalTo("must not be blank"));
        }
    }

    /** Sent without a length, the form is stopped by Quarkus REST's own limit: the same 413 as any other body. */
    @Test
    void aChunkedFormOverTheLimitIsRequestTooLarge() throws java.io.IOException {
        String form = "--b\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n"
                + "A".repeat(256 * 1024) + "\r\n--b--\r\n";
        String answer = ChunkedPost.post(root, "/api/v1/certificates", MANAGER, "multipart/form-data; boundary=b", form);
        assertThat(answer).startsWith("HTTP/1.1 413").contains("urn:keyline:problem:request-too-large");
    }

    @Test
    void aFormWithMoreFieldsThanTheParserKeepsIsA400NotA500() {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            form.append("--b\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nx\r\n");
        }
        form.append("--b--\r\n");
        given().header("Authorization", MANAGER).contentType("multipart/form-data; boundary=b")
                .body(form.toString().getBytes(StandardCharsets.US_ASCII))
                .when().post("/api/v1/certificates")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].reason", equalTo("too many form fields"));
    }

    @Test
    void aDomainsFieldOfEmptyEntriesIsRefusedNotSkippedWithoutEnd() {
        String name = uniqueName("commas");
        Issued client = CertificateFixtures.client(name);
        String key = SecretLeakGuard.secret(client.privateKeyPkcs8Pem());
        given().header("Authorization", MANAGER)
                .multiPart("name", name)
                .multiPart("authorizedDomains", "a.example.com" + ",".repeat(20_000))
                .multiPart("clientCertificate", "client.crt", client.certificatePem().getBytes(StandardCharsets.US_ASCII),
                        "application/x-pem-file")
                .multiPart("clientKey", "client.key", key.getBytes(StandardCharsets.US_ASCII), "application/x-pem-file")
                .when().post("/api/v1/certificates")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("authorizedDomains"));
        // A trailing comma stays harmless.
        given().header("Authorization", MANAGER)
                .multiPart("name", name)
                .multiPart("authorizedDomains", "a.example.com, b.example.com,")
                .multiPart("clientCertificate", "client.crt", client.certificatePem().getBytes(StandardCharsets.US_ASCII),
                        "application/x-pem-file")
                .multiPart("clientKey", "client.key", key.getBytes(StandardCharsets.US_ASCII), "application/x-pem-file")
                .when().post("/api/v1/certificates")
                .then().statusCode(201).body("authorizedDomains", hasSize(2));
    }
}
