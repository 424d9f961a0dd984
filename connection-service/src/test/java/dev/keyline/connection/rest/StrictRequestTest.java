package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Requests a hostile-input probe found answered with a 500 or read as something else than they
 * said: each is a 4xx problem naming what is wrong (service-common's checks, as this service runs them).
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class StrictRequestTest {

    @Test
    void aNulInTheNameFilterIs400NamingTheParameter() {
        given().header("Authorization", READER).queryParam("name", "\u0000").when().get(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name")).body("errors[0].reason", containsString("control"));
    }

    @Test
    void aStringForANumberAndANumberTooLargeAreFieldErrors() {
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body("{\"name\":\"strict\",\"timeoutSecs\":\"30\",\"details\":{\"type\":\"api\"}}").when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("timeoutSecs"));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body("{\"name\":\"strict\",\"timeoutSecs\":1099511627776,\"details\":{\"type\":\"api\"}}").when()
                .post(BASE).then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:invalid-request"))
                .body("errors[0].field", equalTo("timeoutSecs")).body("errors[0].reason", equalTo("number out of range"));
    }
}
