package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A request body is read only from a caller whose bearer token verifies: without one the 401 comes at once,
 * before the body (which a client without a token could otherwise send slowly, holding the bytes every
 * caller's bodies share for the 30 s body deadline).
 */
@QuarkusTest
class BodyBeforeTokenTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void withoutAValidTokenTheBodyIsNeverWaitedFor() throws IOException {
        String foreign = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl";
        for (String authorization : new String[] { "", "Authorization: " + foreign + "\r\n" }) {
            String answer = postHeadOnly(authorization);
            assertThat(answer).as(authorization).startsWith("HTTP/1.1 401")
                    .containsIgnoringCase("www-authenticate: Bearer")
                    .contains("\"type\":\"urn:keyline:problem:unauthenticated\"");
        }
    }

    @Test
    void withAValidTokenTheBodyIsReadAndJudged() throws IOException {
        String answer = postHeadOnly("Authorization: " + MANAGER + "\r\n");
        // Its body never came: the request waits for it (408 at the deadline), it is not refused for the token.
        assertThat(answer).isEmpty();
    }

    /** Sends a create's head declaring 5,000 bytes and none of them; what came back within 4 s. */
    private String postHeadOnly(String authorization) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(4_000);
            socket.getOutputStream().write(("POST /api/v1/certificates HTTP/1.1\r\nHost: localhost\r\n" + authorization
                    + "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) > 0;) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (SocketTimeoutException e) {
                // nothing more within the wait
            }
            return answer.toString();
        }
    }
}
