package dev.keyline.certificate.service;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.certificate.CertificateFixtures;
import dev.keyline.certificate.MtlsTestServer;
import dev.keyline.certificate.persistence.CertificateEntity;
import dev.keyline.common.testing.ConcurrentClients;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.SecretVersion;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Key work is bounded and stored keys cost nothing to reuse: with a key pool of one thread and one
 * queue slot, concurrent uploads beyond it get 503 + Retry-After and store nothing; keys are stored
 * as plain PKCS#8; the TLS context cache holds at most its configured entries, keyed by version, so
 * a replaced key (here or on another replica) is presented at once; old encrypted records still work.
 */
@QuarkusTest
@TestProfile(BoundedKeyWorkTest.TinyPools.class)
@ExtendWith(SecretLeakGuard.class)
class BoundedKeyWorkTest {

    public static class TinyPools implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("certificate-service.work.key-threads", "1",
                    "certificate-service.work.key-queue", "1",
                    "certificate-service.work.retry-after-seconds", "4",
                    // The pool itself full, whoever fills it (this test's one caller sends nine uploads).
                    "certificate-service.work.key-tasks-per-caller", "0",
                    "certificate-service.tls-contexts.max-entries", "1");
        }
    }

    private static final Issued SERVER_CA = TestPki.ca("Keyline Bounded Work Server CA");
    @RegisterExtension
    static final ConcurrentClients CLIENTS = new ConcurrentClients();
    private static MtlsTestServer server;

    @Inject
    KeyWork keyWork;

    @Inject
    TlsContextCache tlsContexts;

    @InjectVaultEmulator
    VaultEmulator vault;

    @BeforeAll
    static void start() throws Exception {
        server = new MtlsTestServer(MtlsTestServer.localhostIdentity(SERVER_CA), SERVER_CA, CertificateFixtures.CLIENT_CA);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, Object> body(String name, Issued client) {
        Map<String, Object> body = new HashMap<>(CertificateFixtures.body(name, client,
                List.of("localhost:" + server.port())));
        body.put("caCertificate", SERVER_CA.certificatePem());
        return body;
    }

    static String store(String cn) {
        return given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(body(CertificateFixtures.uniqueName(cn), CertificateFixtures.client(cn)))
                .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");
    }

    static String presentedBy(String id) {
        // Presenting a certificate is use, not manage.
        given().header("Authorization", CertificateFixtures.USER).contentType(ContentType.JSON)
                .body(Map.of("host", "localhost", "port", server.port(), "path", "/who"))
                .when().post("/api/v1/certificates/" + id + "/exchange").then().statusCode(200);
        List<MtlsTestServer.Seen> seen = server.seen();
        return seen.get(seen.size() - 1).clientSubject();
    }

    @Test
    void nineConcurrentUploadsAtAOneThreadOneQueuePoolGetOneThroughAnd503sWithRetryAfterForTheRest() throws Exception {
        String prefix = "burst-" + UUID.randomUUID().toString().substring(0, 8);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Occupy the pool's only thread, as a slow KDF would.
        FutureTask<Void> blocker = keyWork.pool().submit(() -> {
            running.countDown();
            release.await(60, TimeUnit.SECONDS);
            return null;
        });
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        List<CompletableFuture<Response>> uploads = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Map<String, Object> body = body(prefix + "-" + i, CertificateFixtures.client("burst-" + i));
            uploads.add(CLIENTS.send(() -> given().header("Authorization", MANAGER)
                    .contentType(ContentType.JSON).body(body).when().post("/api/v1/certificates")));
        }
        // Eight are refused at once; one waits in the queue until the thread is free.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (uploads.stream().filter(CompletableFuture::isDone).count() < 8 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<Response> refused = uploads.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
        assertThat(refused).hasSize(8);
        for (Response r : refused) {
            r.then().statusCode(503).contentType("application/problem+json").header("Retry-After", "4")
                    .body("type", equalTo("urn:keyline:problem:busy"));
        }
        release.countDown();
        blocker.get(30, TimeUnit.SECONDS);
        Response accepted = uploads.stream().filter(f -> !refused.contains(f.getNow(null))).findFirst().orElseThrow()
                .get(60, TimeUnit.SECONDS);
        accepted.then().statusCode(201);

        // The refused ones stored nothing.
        given().header("Authorization", READER).queryParam("name", prefix).when().get("/api/v1/certificates")
                .then().statusCode(200).body("total", equalTo(1));
        assertThat(keyWork.pool().load().rejected()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void anEncryptedUploadIsStoredAsPlainPkcs8AndTheCacheStaysWithinItsBound() {
        String first = store("bounded-one");
        String second = store("bounded-two");
        SecretVersion stored = vault.versions("secret", "keyline/certificate-service/certificates/" + first).lastEntry()
                .getValue();
        assertThat((String) stored.data().get("private_key")).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(stored.data()).doesNotContainKey("passphrase");

        assertThat(presentedBy(first)).isEqualTo("CN=bounded-one");
        assertThat(presentedBy(second)).isEqualTo("CN=bounded-two");
        assertThat(presentedBy(first)).isEqualTo("CN=bounded-one");
        assertThat(tlsContexts.size()).isLessThanOrEqualTo(1);
    }

    @Test
    void aReplacedKeyIsPresentedAtOnceAndAnOldEncryptedRecordStillWorks() {
        String id = store("replaced-v1");
        assertThat(presentedBy(id)).isEqualTo("CN=replaced-v1");

        Issued renewed = CertificateFixtures.client("replaced-v2");
        Map<String, Object> replacement = body("replaced-" + UUID.randomUUID().toString().substring(0, 8), renewed);
        given().header("Authorization", MANAGER).header("If-Match", given().header("Authorization", READER)
                        .when().get("/api/v1/certificates/" + id).then().statusCode(200).extract().header("ETag"))
                .contentType(ContentType.JSON).body(replacement)
                .when().put("/api/v1/certificates/" + id).then().statusCode(200);
        assertThat(presentedBy(id)).isEqualTo("CN=replaced-v2");

        // Another replica (or the code before keys were stored decrypted) wrote a version the old way
        // and moved the row to it: no event reaches this replica's cache.
        Issued old = CertificateFixtures.client("replaced-old-format");
        String pass = CertificateFixtures.passphrase();
        int version = vault.writeSecret("secret", "keyline/certificate-service/certificates/" + id, Map.of(
                "certificate", old.certificatePem(),
                "private_key", SecretLeakGuard.secret(old.encryptedPkcs8Pem(pass.toCharArray())),
                "passphrase", pass,
                "ca_certificate", SERVER_CA.certificatePem()));
        QuarkusTransaction.requiringNew().run(
                () -> CertificateEntity.update("vaultVersion = ?1 where id = ?2", version, UUID.fromString(id)));
        assertThat(presentedBy(id)).isEqualTo("CN=replaced-old-format");
    }
}
