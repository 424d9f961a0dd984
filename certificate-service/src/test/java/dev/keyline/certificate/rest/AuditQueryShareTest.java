package dev.keyline.certificate.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.certificate.Permissions;
import dev.keyline.common.audit.AuditQueryShare;
import dev.keyline.common.testing.ConcurrentClients;
import dev.keyline.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One caller has at most four audit-event queries running (keyline.audit.queries-per-caller): its
 * next is 429 at once, while another caller's query is answered.
 */
@QuarkusTest
class AuditQueryShareTest {

    private static final String AUDIT = "/api/v1/audit-events";

    @RegisterExtension
    static final ConcurrentClients HOLDERS = new ConcurrentClients();

    @Inject
    AuditQueryShare share;

    @Test
    void aCallerPastItsShareOfAuditQueriesGets429AndAnotherIsAnswered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(4);
        List<CompletableFuture<Boolean>> held = new ArrayList<>();
        try {
            // Four of "reader-hog"'s queries in flight (held open here, as a slow query would be).
            for (int i = 0; i < 4; i++) {
                held.add(HOLDERS.send(() -> share.call("reader-hog", () -> {
                    running.countDown();
                    try {
                        return release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                })));
            }
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

            given().header("Authorization", TestTokens.bearer("reader-hog", Permissions.READ)).when().get(AUDIT)
                    .then().statusCode(429).contentType("application/problem+json")
                    .body("type", equalTo("urn:keyline:problem:too-many-requests"))
                    .header("Retry-After", "2");
            given().header("Authorization", TestTokens.bearer("someone-else", Permissions.READ)).when().get(AUDIT)
                    .then().statusCode(200);
        } finally {
            release.countDown();
        }
        for (CompletableFuture<Boolean> h : held) {
            assertThat(h.get(30, TimeUnit.SECONDS)).isTrue();
        }
        given().header("Authorization", TestTokens.bearer("reader-hog", Permissions.READ)).when().get(AUDIT)
                .then().statusCode(200);
    }
}
