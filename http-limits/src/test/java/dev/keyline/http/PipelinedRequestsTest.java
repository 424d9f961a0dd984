package dev.keyline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client that pipelines requests and then hangs up no longer has them served for nobody, without bound (a
 * probe wrote thousands per connection and closed, over and over: the console ran out of memory, the services
 * ran hundreds of thousands of list queries for clients that were gone); one that pipelines within the bound
 * and reads its answers gets all of them.
 */
@QuarkusTest
class PipelinedRequestsTest {

    static final AtomicInteger SERVED = new AtomicInteger();

    @TestHTTPResource("/")
    URL root;

    /** A blocking resource, as the apps' are: each request is served on a worker thread. */
    @Path("/served")
    public static class ServedResource {
        @GET
        public String served() {
            SERVED.incrementAndGet();
            return "served";
        }
    }

    private static byte[] pipelined(int n) {
        return "GET /served HTTP/1.1\r\nHost: localhost\r\n\r\n".repeat(n).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void requestsPipelinedBeforeAHangUpAreNotServedForNobody() throws Exception {
        int sent = 0;
        SERVED.set(0);
        for (int c = 0; c < 20; c++) {
            try (Socket socket = new Socket(root.getHost(), root.getPort())) {
                socket.getOutputStream().write(pipelined(2000));
                socket.getOutputStream().flush();
                sent += 2000;
            } catch (IOException reset) {
                // the server closed first: what it read counts below all the same
            }
        }
        // Give the server the time it would take to serve what was read (the old code served every one).
        long until = System.currentTimeMillis() + 5_000;
        int last = -1;
        while (System.currentTimeMillis() < until && SERVED.get() != last) {
            last = SERVED.get();
            Thread.sleep(500);
        }
        assertThat(sent).isEqualTo(40_000);
        System.out.printf("PipelinedRequestsTest: %d served of %d pipelined by clients that hung up%n", SERVED.get(), sent);
        assertThat(SERVED.get()).as("requests served of %d pipelined by clients that hung up", sent)
                .isLessThan(2_000);
    }

    @Test
    void aClientThatPipelinesWithinTheBoundAndReadsItsAnswersGetsEveryOne() throws Exception {
        // Waves of 30 (the bound is 32) on one connection, each sent at once and then read: 300 answers.
        int wave = 30;
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            StringBuilder answers = new StringBuilder();
            byte[] buffer = new byte[8192];
            for (int w = 1; w <= 10; w++) {
                socket.getOutputStream().write(pipelined(wave));
                socket.getOutputStream().flush();
                while (count(answers, "served") < w * wave) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    answers.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
                }
            }
            assertThat(count(answers, "HTTP/1.1 200")).isEqualTo(10 * wave);
        }
    }

    private static int count(CharSequence text, String what) {
        int n = 0;
        for (int i = text.toString().indexOf(what); i >= 0; i = text.toString().indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
