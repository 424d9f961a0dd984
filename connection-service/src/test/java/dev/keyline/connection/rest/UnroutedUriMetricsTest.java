package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.USER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An answer given before any route matched (405 for a method the path does not have, 404 for a path no
 * route has) never puts the client's raw path into {@code /q/metrics}: each distinct path was a new
 * {@code uri} series, with or without a token, until Micrometer's cap on uri labels (100) dropped the
 * series of real routes first seen after them.
 */
@QuarkusTest
class UnroutedUriMetricsTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void unroutedAnswersDoNotLabelMetricsWithTheClientsPath() {
        given().when().get("/api/v1/connections/junk123/test").then().statusCode(405);
        given().header("Authorization", USER).when().get("/api/v1/connections/junk124/test").then().statusCode(405);
        given().header("Authorization", USER).when().patch("/api/v1/connections/junk125/setup-sql").then().statusCode(405);
        given().when().get("/api/v1/junk126").then().statusCode(404);
        given().header("Authorization", USER).when().get("/api/v1/connections/junk127/junk").then().statusCode(404);
        given().when().post("/junk128").then().statusCode(404);

        String exposed = given().when().get(metrics).then().statusCode(200).extract().asString();
        assertThat(exposed.lines().filter(l -> l.startsWith("http_server_requests") && l.contains("junk")))
                .as("series labelled with a client's path").isEmpty();
        assertThat(exposed).contains("uri=\"REFUSED\"");
    }
}
