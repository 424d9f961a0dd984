package dev.keyline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;

/**
 * Slow request bodies hold no worker thread, and one that does not arrive in time gets 408. The test
 * profile's worker pool has 4 threads and a 3 s body deadline. Raw sockets: a client library would not
 * send a body one byte at a time, nor stop half-way.
 */
@QuarkusTest
class RequestBodyDeadlineTest {

    /** More slow bodies than the test profile's worker pool (quarkus.thread-pool.max-threads=4). */
    private static final int SLOW = 10;

    @TestHTTPResource("/")
    URL root;

    @Inject
    BufferedBytes received;

    @Inject
    RequestBodyDeadline deadline;

    /** Blocking resource methods, as the apps' are: they run on a worker thread. */
    @Path("/body")
    public static class BodyResource {

        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        public String json(Map<String, Object> body) {
            return "json " + body.get("name");
        }

        @POST
        @Path("form")
        @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
        public String form(@FormParam("name") String name) {
            return "form " + name;
        }

        @GET
        public String ping() {
            return "pong";
        }
    }

    @Test
    void slowBodiesLeaveTheWorkersToOtherCallers() throws IOException {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW; i++) {
                slow.add(startSlowPost("/body", "application/json", 100_000));
            }
            Thread.sleep(300); // let the slow ones reach the server first
            long start = System.nanoTime();
            String answer = exchange("GET /body HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 2_000);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("pong");
            assertThat(millis).as("the GET's wait, in ms, behind %d slow bodies", SLOW).isLessThan(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void aBodyNotInFullByTheDeadlineIs408AndTheConnectionCloses() throws IOException {
        try (Socket socket = startSlowPost("/body", "application/json", 1_000)) {
            socket.setSoTimeout(8_000);
            long start = System.nanoTime();
            String answer = readAll(socket.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("content-type: application/problem+json")
                    .containsIgnoringCase("connection: close");
            JsonObject problem = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(problem.getString("type")).isEqualTo("urn:keyline:problem:request-timeout");
            assertThat(problem.getInteger("status")).isEqualTo(408);
            assertThat(problem.getString("detail"))
                    .isEqualTo("The request body did not arrive in full within 3 seconds of the headers");
            // readAll returned: the server closed the connection (within the lingering close's 2 s).
            assertThat(millis).isBetween(2_000L, 7_000L);
        }
    }

    @Test
    void wholeBodiesAreServedAsBefore() throws IOException {
        String json = "{\"name\":\"a\"}";
        assertThat(exchange("POST /body HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: "
                + "application/json\r\nContent-Length: " + json.length() + "\r\n\r\n" + json, 5_000))
                .startsWith("HTTP/1.1 200").endsWith("json a");
        String form = "name=b";
        assertThat(exchange("POST /body/form HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: "
                + "application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form, 5_000))
                .startsWith("HTTP/1.1 200").endsWith("form b");
        assertThat(exchange("POST /body HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: "
                + "application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"nam\r\n7\r\ne\":\"c\"}\r\n0\r\n\r\n",
                5_000)).startsWith("HTTP/1.1 200").endsWith("json c");
    }

    @Test
    void aClientWaitingFor100ContinueIsToldToSend() throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(5_000);
            String json = "{\"name\":\"e\"}";
            OutputStream out = socket.getOutputStream();
            out.write(("POST /body HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json"
                    + "\r\nExpect: 100-continue\r\nContent-Length: " + json.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] interim = new byte[25];
            int n = socket.getInputStream().read(interim);
            assertThat(new String(interim, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 100 Continue");
            out.write(json.getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(socket.getInputStream())).contains("HTTP/1.1 200").endsWith("json e");
        }
    }

    @Test
    void aChunkedBodyPastTheLimitIs413() throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /body HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[65_536];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try {
                for (int i = 0; i < 20; i++) { // 1.25 MiB
                    out.write(("10000\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (SocketException closedEarly) {
                // answered before all was sent
            }
            String answer = readAll(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"type\":\"urn:keyline:problem:request-too-large\"")
                    .contains("\"field\":\"$\"");
        }
    }

    @Test
    void bodiesPastTheBufferedBytesAre503UntilTheOthersEnd() throws IOException, InterruptedException {
        // The test profile allows 2 MiB of bodies being received at once, counted as they arrive: a declared
        // length that is never sent holds nothing (else one byte and a large Content-Length, free for a client
        // without any token, took the budget of everyone's bodies).
        Socket declaredOnly = startSlowPost("/body", "application/json", 1_000_000);
        Socket first = startSlowPost("/body", "application/json", 1_000_000, 1_000_000 - 10);
        Socket second = startSlowPost("/body", "application/json", 1_000_000, 1_000_000 - 10);
        received.await(b -> b >= 2 * (1_000_000 - 10)); // both nearly whole bodies have arrived
        long refusedBefore = deadline.refusedPastBudget();
        try (Socket third = startSlowPost("/body", "application/json", 1_000_000, 200_000)) {
            third.setSoTimeout(5_000);
            String answer = readAll(third.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 5")
                    .contains("\"type\":\"urn:keyline:problem:busy\"");
            assertThat(deadline.refusedPastBudget()).as("counted as past the whole budget").isEqualTo(refusedBefore + 1);
        } finally {
            first.close();
            second.close();
            declaredOnly.close();
        }
        received.await(b -> b == 0); // the server sees the hang-ups and gives their bytes back
        String json = "{\"name\":\"d\",\"pad\":\"" + " ".repeat(1_000_000 - 24) + "\"}";
        assertThat(exchange("POST /body HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: "
                + "application/json\r\nContent-Length: " + json.length() + "\r\n\r\n" + json, 5_000))
                .startsWith("HTTP/1.1 200").endsWith("json d");
    }

    /**
     * Over HTTP/2 (how the console and rotation-service call the services) a body read here still reaches
     * the resource: Vert.x' HTTP/2 request refuses a pause once ended, which Quarkus REST does on every request.
     */
    @Test
    void http2BodiesAreServed() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            String answer = client.request(HttpMethod.POST, root.getPort(), root.getHost(), "/body")
                    .compose(request -> request.putHeader("Content-Type", "application/json")
                            .send("{\"name\":\"h2\"}"))
                    .compose(response -> response.body().map(body -> response.statusCode() + " "
                            + body.toString(StandardCharsets.UTF_8)))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(answer).isEqualTo("200 json h2");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private Socket startSlowPost(String path, String contentType, int length) throws IOException {
        return RawHttp.of(root).startSlowPost(path, contentType, length);
    }

    private Socket startSlowPost(String path, String contentType, int length, int sent) throws IOException {
        return RawHttp.of(root).startSlowPost(path, contentType, length, sent, "");
    }

    private String exchange(String request, int timeoutMillis) throws IOException {
        return RawHttp.of(root).exchange(request, timeoutMillis);
    }

    private static String readAll(InputStream in) throws IOException {
        return RawHttp.readAll(in);
    }
}
