package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.USER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** An exchange body that cannot be sent is a 400 naming the field at fault, before any connection. */
@QuarkusTest
class ExchangeRequestFieldsTest {

    private String id;

    @BeforeEach
    void certificate() {
        id = given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(body(uniqueName("exchange-fields"))).when().post("/api/v1/certificates")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void aHeaderWithANullValueIsAFieldErrorNotA500() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("X-Empty", null);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("url", "https://api.partner.test:8443/");
        request.put("headers", headers);
        given().header("Authorization", USER).contentType(ContentType.JSON).body(request)
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("headers"))
                .body("errors[0].reason", containsString("X-Empty"));
    }

    @Test
    void aBadPathIsNamedAsThePathNotTheHost() {
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("host", "api.partner.test", "port", 8443, "path", "no-slash"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("path"))
                .body("errors[0].reason", containsString("'/'"));
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("host", "api.partner.test:8443", "path", "/"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(400).body("errors[0].field", equalTo("host"));
    }
}
