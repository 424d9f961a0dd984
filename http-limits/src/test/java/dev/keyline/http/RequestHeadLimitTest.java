package dev.keyline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * A request line or headers over the limits get 414 / 431 problem+json naming the limit and the size
 * seen; a request just at the limits is served; past the Vert.x backstop the answer is Vert.x' own.
 * Raw sockets: an HTTP client would refuse to send some of these or choose the framing itself.
 */
@QuarkusTest
class RequestHeadLimitTest {

    /** The headers {@link #send} always sends, as counted: name, ": ", value. */
    private static final int HOST_BYTES = "Host: localhost".length() + "Connection: close".length();

    @TestHTTPResource("/")
    URL root;

    @ApplicationScoped
    static class Echo {
        void route(@Observes Router router) {
            router.get("/echo").handler(ctx -> ctx.response().end("ok"));
        }
    }

    @Test
    void aRequestLineAtTheLimitIsServed() throws IOException {
        String answer = send(requestLine(4096), "");
        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok");
    }

    @Test
    void aLongerRequestLineIsUriTooLong() throws IOException {
        String answer = send(requestLine(4097), "");
        assertThat(answer).startsWith("HTTP/1.1 414").containsIgnoringCase("content-type: application/problem+json")
                .containsIgnoringCase("connection: close").contains("X-Content-Type-Options: nosniff");
        JsonObject problem = body(answer);
        assertThat(problem.getString("type")).isEqualTo("urn:keyline:problem:uri-too-long");
        assertThat(problem.getString("title")).isEqualTo("URI too long");
        assertThat(problem.getInteger("status")).isEqualTo(414);
        assertThat(problem.getString("detail"))
                .isEqualTo("The request line (method, URI and HTTP version) is 4097 bytes; the limit is 4096 bytes");
        assertThat(problem.getJsonArray("errors").getJsonObject(0).getMap())
                .containsEntry("field", "uri").containsEntry("reason", "request line longer than 4096 bytes");
    }

    @Test
    void headersAtTheLimitAreServed() throws IOException {
        String answer = send(requestLine(100), bigHeader(20480 - HOST_BYTES));
        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok");
    }

    @Test
    void largerHeadersAreHeadersTooLarge() throws IOException {
        String answer = send(requestLine(100), bigHeader(20481 - HOST_BYTES));
        assertThat(answer).startsWith("HTTP/1.1 431").containsIgnoringCase("content-type: application/problem+json");
        JsonObject problem = body(answer);
        assertThat(problem.getString("type")).isEqualTo("urn:keyline:problem:headers-too-large");
        assertThat(problem.getString("title")).isEqualTo("Request headers too large");
        assertThat(problem.getInteger("status")).isEqualTo(431);
        assertThat(problem.getString("detail")).isEqualTo("The request headers are 20481 bytes; the limit is 20480 "
                + "bytes (the largest, X-Big, is " + (20481 - HOST_BYTES) + " bytes)");
        assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("X-Big");
    }

    /** A keep-alive request refused with "Connection: close" finds the connection closed after the answer. */
    @Test
    void theConnectionIsClosedAfterTheProblemAsItsHeaderSays() throws IOException {
        for (String[] request : new String[][] { { requestLine(4097), "" }, { requestLine(100), bigHeader(20481) } }) {
            try (Socket socket = new Socket(root.getHost(), root.getPort())) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write((request[0] + "\r\nHost: localhost\r\n" + request[1] + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                // read() returns only at the end of the stream: a connection left open times out here
                String answer = read(socket.getInputStream());
                assertThat(answer).containsIgnoringCase("connection: close").contains("urn:keyline:problem:");
            }
        }
    }

    /** HTTP/2 (cleartext, prior knowledge) meets the same header limit and answer as HTTP/1.1, not Netty's 8 KiB. */
    @Test
    void http2HeadersMeetTheSameLimit() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            assertThat(h2(client, "b".repeat(12_000))).startsWith("200 ").endsWith("ok");
            String refused = h2(client, "b".repeat(21_000));
            assertThat(refused).startsWith("431 application/problem+json ")
                    .contains("urn:keyline:problem:headers-too-large");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** "status content-type body" of a GET /echo over HTTP/2 with one X-Big header of the given value. */
    private String h2(HttpClient client, String bigValue) throws Exception {
        return client.request(HttpMethod.GET, root.getPort(), root.getHost(), "/echo")
                .compose(request -> request.putHeader("X-Big", bigValue).send())
                .compose(response -> response.body().map(body -> response.statusCode() + " "
                        + response.getHeader("content-type") + " " + body.toString(StandardCharsets.UTF_8)))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void pastTheBackstopVertxStillRefuses() throws IOException {
        assertThat(send(requestLine(16_385), "")).startsWith("HTTP/1.0 414").doesNotContain("problem");
        assertThat(send(requestLine(100), bigHeader(70_000))).startsWith("HTTP/1.1 431").doesNotContain("problem");
    }

    /** {@code GET /echo?q=… HTTP/1.1} of exactly {@code bytes} bytes. */
    private static String requestLine(int bytes) {
        String fixed = "GET /echo?q= HTTP/1.1";
        return "GET /echo?q=" + "a".repeat(bytes - fixed.length()) + " HTTP/1.1";
    }

    /** An {@code X-Big} header line of exactly {@code bytes} bytes, without its line end. */
    private static String bigHeader(int bytes) {
        return "X-Big: " + "b".repeat(bytes - "X-Big: ".length()) + "\r\n";
    }

    private String send(String requestLine, String headers) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write((requestLine + "\r\nHost: localhost\r\n" + headers
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            } catch (SocketException closedEarly) {
                // refused before all was sent: read what the server said
            }
            return read(socket.getInputStream());
        }
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0;) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // the server closed: what it sent is the answer
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static JsonObject body(String answer) {
        return new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }
}
