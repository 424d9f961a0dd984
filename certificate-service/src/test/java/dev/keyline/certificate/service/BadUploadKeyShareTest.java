package dev.keyline.certificate.service;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.common.testing.ConcurrentClients;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.work.BoundedWork;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A create that bean validation refuses still has its key checked, so every bad field is named at once:
 * that parse (an encrypted key at the KDF ceiling is ~1.25 s of CPU) runs on the key pool under the
 * caller's share like a valid upload's, never on the request thread: while the pool is busy the caller's
 * first such request waits and its second is refused with 429 at once.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class BadUploadKeyShareTest {

    @RegisterExtension
    static final ConcurrentClients CLIENTS = new ConcurrentClients();

    @Inject
    KeyWork keyWork;

    @Test
    void aRefusedUploadsKeyIsParsedOnTheKeyPoolUnderTheCallersShare() throws Exception {
        Map<String, Object> bad = new HashMap<>(body(uniqueName("share")));
        bad.put("name", "");
        BoundedWork pool = keyWork.pool();

        CountDownLatch release = new CountDownLatch(1);
        FutureTask<Boolean> occupying = pool.submit(() -> release.await(60, TimeUnit.SECONDS));
        CompletableFuture<Response> first;
        try {
            ConcurrentClients.await(() -> pool.load().active() == 1);
            first = CLIENTS.send(() -> create(bad));
            ConcurrentClients.await(() -> pool.heldBy("alice") == 1 || first.isDone());
            assertThat(first).as("the refused upload's key parse waits for the key pool").isNotDone();

            create(bad).then().statusCode(429).contentType("application/problem+json")
                    .header("Retry-After", "2").body("type", equalTo("urn:keyline:problem:too-many-requests"));
        } finally {
            release.countDown();
        }
        assertThat(occupying.get(30, TimeUnit.SECONDS)).isTrue();
        first.get(60, TimeUnit.SECONDS).then().statusCode(400)
                .body("type", equalTo("urn:keyline:problem:invalid-request")).body("errors.field", contains("name"));
        assertThat(pool.heldBy("alice")).isZero();
    }

    private static Response create(Map<String, Object> body) {
        return given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body).post("/api/v1/certificates");
    }
}
