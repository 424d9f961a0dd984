package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keyline.certificate.CertificateFixtures;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.keys.testing.Issued;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Requests of the wrong shape are the client's error, answered as such: an unreadable Content-Type
 * (415), an unreadable multipart body, unknown or repeated parts, a passphrase with nothing to
 * decrypt on PUT, a host that is no host name (400), a wrong method on an existing path (405).
 */
@QuarkusTest
class RequestShapeTest {

    private static final String BASE = "/api/v1/certificates";

    @TestHTTPResource(BASE)
    URI certificates;

    private HttpResponse<String> rawPost(String contentType, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(certificates).header("Authorization", MANAGER)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.US_ASCII)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = { "garbage", "/", "application/", "multipart/form-data; boundary=" })
    void anUnreadableContentTypeIsA415(String contentType) throws Exception {
        HttpResponse<String> response = rawPost(contentType, "x");
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body()).contains("Content-Type");
    }

    @Test
    void aMultipartBodyThatIsNoFormIsA400() throws Exception {
        HttpResponse<String> response = rawPost("multipart/form-data; boundary=zzz", "garbage garbage");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body()).contains("multipart");
    }

    private static RequestSpecification upload(String name, Issued client) {
        String key = SecretLeakGuard.secret(client.privateKeyPkcs8Pem());
        return given().header("Authorization", MANAGER)
                .multiPart("name", name)
                .multiPart("authorizedDomains", "a.example.com")
                .multiPart("clientCertificate", "client.crt", client.certificatePem().getBytes(StandardCharsets.US_ASCII),
                        "application/x-pem-file")
                .multiPart("clientKey", "client.key", key.getBytes(StandardCharsets.US_ASCII), "application/x-pem-file");
    }

    @Test
    void anUnknownPartIsRefusedByName() {
        String name = uniqueName("bogus");
        upload(name, CertificateFixtures.client(name)).multiPart("bogus", "1")
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("bogus")).body("errors[0].reason", equalTo("unknown field"));
    }

    @Test
    void aRepeatedPartIsRefusedByName() {
        String name = uniqueName("twice");
        upload(name, CertificateFixtures.client(name)).multiPart("name", "other-name")
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name")).body("errors[0].reason", containsString("more than once"));
        // authorizedDomains is the one part that may repeat (one domain a part).
        upload(name, CertificateFixtures.client(name)).multiPart("authorizedDomains", "b.example.com")
                .when().post(BASE)
                .then().statusCode(201);
    }

    /**
     * A passphrase sent with a key that is not encrypted was accepted and silently dropped (201): the
     * uploader could believe the key protected or the passphrase checked. It is refused on the
     * passphrase field, as Python's cryptography refuses it; an empty or blank one is no passphrase.
     */
    @Test
    void aPassphraseWithAPlainKeyIsRefusedOnThePassphraseField() {
        String reason = "A passphrase was given but the private key is not encrypted; leave the passphrase out (or "
                + "empty) for an unencrypted key.";
        String name = uniqueName("plainpass");
        Issued client = CertificateFixtures.client(name);
        Map<String, Object> json = body(name, client, java.util.List.of("a.example.com"));
        json.put("clientKey", SecretLeakGuard.secret(client.privateKeyPkcs8Pem()));
        String passphrase = CertificateFixtures.passphrase();
        json.put("passphrase", passphrase);
        String answer = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(json)
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("passphrase"))
                .body("errors[0].reason", equalTo(reason))
                .extract().asString();
        assertThat(answer).doesNotContain(passphrase).doesNotContain("PRIVATE KEY");
        given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                .then().statusCode(200).body("total", equalTo(0));
        String multipartName = uniqueName("plainpass-mp");
        upload(multipartName, CertificateFixtures.client(multipartName)).multiPart("passphrase", "unused")
                .when().post(BASE)
                .then().statusCode(400).body("errors[0].field", equalTo("passphrase"))
                .body("errors[0].reason", equalTo(reason));

        // An empty or blank passphrase (an empty form field) is none.
        json.put("passphrase", "");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(json)
                .when().post(BASE)
                .then().statusCode(201).body("hasPassphrase", equalTo(false));
        upload(multipartName, CertificateFixtures.client(multipartName)).multiPart("passphrase", "   ")
                .when().post(BASE)
                .then().statusCode(201).body("hasPassphrase", equalTo(false));
        // An encrypted key with its passphrase still says so.
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(uniqueName("encrypted")))
                .when().post(BASE)
                .then().statusCode(201).body("hasPassphrase", equalTo(true));

        // A replacement key: the same rule.
        String id = given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                .then().statusCode(200).extract().path("items[0].id");
        json.put("passphrase", passphrase);
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON).body(json)
                .when().put(BASE + "/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("passphrase"))
                .body("errors[0].reason", equalTo(reason));
    }

    @Test
    void aPassphraseWithoutAKeyOnReplaceIsRefused() {
        String name = uniqueName("putpass");
        Map<String, Object> json = body(name);
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(json)
                .when().post(BASE).then().statusCode(201).extract().path("id");
        Map<String, Object> update = new java.util.LinkedHashMap<>();
        update.put("name", name);
        update.put("authorizedDomains", java.util.List.of("a.example.com"));
        update.put("passphrase", "lonely");
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON).body(update)
                .when().put(BASE + "/" + id)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("passphrase"))
                .body("errors[0].reason", containsString("send it with clientKey"));
    }

    @Test
    void aWrongMethodOnTheExchangePathIsA405() {
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(uniqueName("m405")))
                .when().post(BASE).then().statusCode(201).extract().path("id");
        given().header("Authorization", MANAGER).when().get(BASE + "/" + id + "/exchange")
                .then().statusCode(405).contentType("application/problem+json")
                .header("Allow", "OPTIONS, POST")
                .body("type", equalTo("urn:keyline:problem:method-not-allowed"));
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id + "/exchange")
                .then().statusCode(405).header("Allow", "OPTIONS, POST");
        // The methods of the path asked for, not of every path of the resource class.
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id)
                .then().statusCode(405).header("Allow", "DELETE, GET, HEAD, OPTIONS, PUT");
        given().header("Authorization", MANAGER).when().delete(BASE)
                .then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS, POST");
        // An unknown path under a certificate is still a 404.
        given().header("Authorization", MANAGER).when().get(BASE + "/" + id + "/nothing-here")
                .then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = { "\u0000", "api.example.com:443", "*.example.com", "http://api.example.com" })
    void anInvalidHostIsA400NamingHost(String host) {
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(uniqueName("host")))
                .when().post(BASE).then().statusCode(201).extract().path("id");
        given().header("Authorization", READER).queryParam("host", host).when()
                .get(BASE + "/" + id + "/authorization")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("host"));
    }

    @Test
    void aUrlIsNotCalledAHostWithAPort() {
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(uniqueName("url")))
                .when().post(BASE).then().statusCode(201).extract().path("id");
        given().header("Authorization", READER).queryParam("host", "http://api.example.com").when()
                .get(BASE + "/" + id + "/authorization")
                .then().statusCode(400)
                .body("errors[0].reason", containsString("not a URL"));
        // A valid host that is simply not covered stays a 200 refusal.
        given().header("Authorization", READER).queryParam("host", "elsewhere.test").when()
                .get(BASE + "/" + id + "/authorization")
                .then().statusCode(200).body("allowed", equalTo(false));
    }
}
