package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.ChunkedPost;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A body sent chunked declares no length, so the Content-Length check cannot see it: it is counted
 * while read (service-common's StreamedBodyLimit). It was an empty 413 from Vert.x' hard limit and
 * an "unexpected IOException" in the log.
 */
@QuarkusTest
class ChunkedBodyTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void aChunkedBodyPastTheCeilingIsA413Problem() throws IOException {
        for (int size : new int[] { 1_100_000, 3_000_000 }) {
            String answer = ChunkedPost.post(root, BASE, MANAGER,
                    "{\"name\":\"big\",\"description\":\"" + "A".repeat(size) + "\"}");
            assertThat(answer).as("%d bytes", size).startsWith("HTTP/1.1 413");
            assertThat(answer).containsIgnoringCase("content-type: application/problem+json")
                    .containsIgnoringCase("connection: close")
                    .contains("\"type\":\"urn:keyline:problem:request-too-large\"")
                    .contains("\"field\":\"$\"");
        }
    }

    @Test
    void aSmallChunkedBodyIsReadAsUsual() throws IOException {
        // Not too large: it reaches validation, which names what is missing.
        String answer = ChunkedPost.post(root, BASE, MANAGER, "{\"name\":\"chunked-small\"}");
        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"field\":\"details\"");
    }
}
