package dev.keyline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/**
 * With a {@link BodySender} (the services' bearer tokens) a body is read only from a verified sender, and
 * one sender's bodies hold at most its share of the buffered bytes (the test profile: 2 MiB in all, a quarter
 * each, raised to one whole body of the largest size, 1 MiB). The resource is {@link RequestBodyDeadlineTest}'s
 * {@code /body}.
 */
@QuarkusTest
@TestProfile(BodySenderTest.WithSenders.class)
class BodySenderTest {

    /**
     * Accepts "Bearer ok-NAME" as NAME; anything else names nobody. "Bearer known-NAME" is a sender known
     * without verifying (as a token verified a moment ago), told only on the event loop: {@link #verify}
     * refuses it, so its body is served only if the known sender is taken without a trip to a worker.
     */
    @Alternative
    @ApplicationScoped
    public static class NamedSenders implements BodySender {
        @Override
        public Optional<String> verify(MultiMap headers) {
            String authorization = headers.get("Authorization");
            return authorization != null && authorization.startsWith("Bearer ok-")
                    ? Optional.of(authorization.substring("Bearer ok-".length()))
                    : Optional.empty();
        }

        @Override
        public String known(MultiMap headers) {
            String authorization = headers.get("Authorization");
            return authorization != null && authorization.startsWith("Bearer known-") && Context.isOnEventLoopThread()
                    ? authorization.substring("Bearer known-".length())
                    : null;
        }
    }

    public static class WithSenders implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(NamedSenders.class);
        }
    }

    @TestHTTPResource("/")
    URL root;

    @Inject
    BufferedBytes received;

    @Inject
    RequestBodyDeadline deadline;

    @Test
    void aBodyWithoutAVerifiedSenderIs401BeforeAnyOfItIsSent() throws IOException {
        for (String authorization : new String[] { "", "Authorization: Bearer forged\r\n", "Authorization: Basic eA==\r\n" }) {
            try (Socket socket = RawHttp.of(root).startSlowPost("/body", "application/json", 1_000, 0, authorization)) {
                socket.setSoTimeout(5_000);
                long start = System.nanoTime();
                String answer = RawHttp.readAll(socket.getInputStream());
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(answer).as(authorization).startsWith("HTTP/1.1 401")
                        .containsIgnoringCase("www-authenticate: Bearer")
                        .containsIgnoringCase("content-type: application/problem+json");
                JsonObject problem = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
                assertThat(problem.getString("type")).isEqualTo("urn:keyline:problem:unauthenticated");
                assertThat(problem.getString("detail")).isEqualTo("A valid bearer token is required");
                assertThat(problem.containsKey("errors")).isFalse();
                // Answered at once, not at the body deadline (3 s): the body was never waited for. The lingering
                // close (2 s at most) ends the connection.
                assertThat(millis).as("ms until the connection closed").isLessThan(2_900);
            }
        }
    }

    @Test
    void aRefusedSenderIsNotAskedToSendItsBody() throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /body HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 12\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.readAll(socket.getInputStream())).startsWith("HTTP/1.1 401").doesNotContain("100 Continue");
        }
    }

    @Test
    void aVerifiedSendersBodyIsServed() throws IOException {
        String json = "{\"name\":\"v\"}";
        assertThat(RawHttp.of(root).exchange("POST /body HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Authorization: Bearer ok-alice\r\nContent-Type: application/json\r\nContent-Length: " + json.length()
                + "\r\n\r\n" + json, 5_000)).startsWith("HTTP/1.1 200").endsWith("json v");
    }

    @Test
    void aSenderKnownWithoutVerifyingHasItsBodyReadAtOnce() throws IOException {
        String json = "{\"name\":\"k\"}";
        assertThat(RawHttp.of(root).exchange("POST /body HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Authorization: Bearer known-carol\r\nContent-Type: application/json\r\nContent-Length: "
                + json.length() + "\r\n\r\n" + json, 5_000)).startsWith("HTTP/1.1 200").endsWith("json k");
    }

    @Test
    void oneSendersSlowBodiesLeaveTheRestOfTheBudgetToOthers() throws IOException, InterruptedException {
        RawHttp http = RawHttp.of(root);
        String mallory = "Authorization: Bearer ok-mallory\r\n";
        // 900,000 of a 1,000,000-byte body: under mallory's share of 1,048,576 bytes; 200,000 more are past it.
        Socket held = http.startSlowPost("/body", "application/json", 1_000_000, 900_000, mallory);
        try {
            received.await(b -> b >= 900_000);
            long refusedBefore = deadline.refusedPastShare();
            try (Socket more = http.startSlowPost("/body", "application/json", 1_000_000, 200_000, mallory)) {
                more.setSoTimeout(5_000);
                String answer = RawHttp.readAll(more.getInputStream());
                assertThat(answer).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 5")
                        .contains("\"type\":\"urn:keyline:problem:busy\"").contains("your share (1048576 bytes)");
            }
            assertThat(deadline.refusedPastShare()).as("counted as past the sender's share").isEqualTo(refusedBefore + 1);
            // The whole service is far from its 2 MiB: another sender's body of 900,000 bytes is read and served.
            String json = "{\"name\":\"bob\",\"pad\":\"" + " ".repeat(900_000) + "\"}";
            assertThat(http.exchange("POST /body HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Authorization: Bearer ok-bob\r\nContent-Type: application/json\r\nContent-Length: "
                    + json.length() + "\r\n\r\n" + json, 5_000)).startsWith("HTTP/1.1 200").endsWith("json bob");
        } finally {
            held.close();
        }
        received.await(b -> b == 0); // the hang-up gives mallory's bytes back
        String json = "{\"name\":\"m\",\"pad\":\"" + " ".repeat(600_000) + "\"}";
        assertThat(http.exchange("POST /body HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + mallory
                + "Content-Type: application/json\r\nContent-Length: " + json.length() + "\r\n\r\n" + json, 5_000))
                .startsWith("HTTP/1.1 200").endsWith("json m");
    }
}
