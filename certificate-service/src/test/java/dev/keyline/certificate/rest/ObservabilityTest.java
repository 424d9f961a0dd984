package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.net.URL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Health, metrics and OpenAPI answer where the deployment and dashboards look for them. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class ObservabilityTest {

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/started", management = true)
    URL started;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Test
    void healthEndpointsAnswerWithoutATokenAndReadinessChecksItsDependencies() {
        given().when().get(live).then().statusCode(200).body("status", equalTo("UP"));
        given().when().get(started).then().statusCode(200);
        given().when().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("vault", "Database connections health check"));
    }

    @Test
    void expiryGaugeIsPublishedForEachCertificate() {
        String name = uniqueName("gauge");
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name))
                .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");
        given().when().get(metrics).then().statusCode(200)
                .body(containsString("keyline_certificate_expiry_seconds{certificate_id=\"" + id + "\",name=\"" + name + "\"}"));

        // A rename replaces the series (the name is a tag); no other series of this certificate stays.
        String renamed = name + "-renamed";
        String etag = given().header("Authorization", MANAGER).when().get("/api/v1/certificates/" + id)
                .then().statusCode(200).extract().header("ETag");
        given().header("Authorization", MANAGER).header("If-Match", etag).contentType(ContentType.JSON)
                .body(java.util.Map.of("name", renamed, "authorizedDomains", java.util.List.of("api.example.com")))
                .when().put("/api/v1/certificates/" + id).then().statusCode(200);
        given().when().get(metrics).then().statusCode(200)
                .body(containsString("keyline_certificate_expiry_seconds{certificate_id=\"" + id + "\",name=\"" + renamed + "\"}"))
                .body(not(containsString("name=\"" + name + "\"}")));

        given().header("Authorization", MANAGER).when().delete("/api/v1/certificates/" + id).then().statusCode(204);
        given().when().get(metrics).then().statusCode(200).body(not(containsString(id)));
    }

    @Test
    void openApiDescribesTheApiWithoutExamplesOfSecrets() {
        given().queryParam("format", "json").when().get(openapi).then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/certificates"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/certificates/{id}/exchange"))
                .body(not(containsString("BEGIN PRIVATE KEY")));
    }
}
