package dev.keyline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Clients that never finish a request head (a header line now and then: Vert.x has no deadline for a head)
 * hold at most {@code quarkus.http.limits.max-connections} connections, the value this module sets for every
 * app; the next connection is closed at once, and a connection given back is usable again. Without the
 * bound, such clients held connections until the process ran out of file descriptors.
 *
 * <p>
 * HTTP/1.1 only, as every app here ({@code quarkus.http.http2=false}): with cleartext HTTP/2 on, Vert.x makes the
 * connection (and Quarkus counts it) only once the first head is complete, so slow heads would not count.
 */
@QuarkusTest
@TestProfile(ConnectionLimitTest.Http1Only.class)
class ConnectionLimitTest {

    public static class Http1Only implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.http2", "false");
        }
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    void slowHeadsHoldAtMostTheLimitAndAFreedSlotServesAgain() throws Exception {
        int limit = ConfigProvider.getConfig().getValue("quarkus.http.limits.max-connections", Integer.class);
        assertThat(limit).as("the module's own setting").isEqualTo(2048);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < limit + 20; i++) {
                Socket socket = new Socket(root.getHost(), root.getPort());
                socket.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: localhost\r\nX-Drip: 1\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                held.add(socket);
            }
            Thread.sleep(1_000);
            int closed = 0;
            int firstClosed = -1;
            for (int i = 0; i < held.size(); i++) {
                if (closedByServer(held.get(i))) {
                    closed++;
                    firstClosed = firstClosed < 0 ? i : firstClosed;
                }
            }
            // Other tests' keep-alive connections may hold a few slots of the same server.
            assertThat(closed).as("slow heads closed at once of %d opened", held.size()).isBetween(20, 40);
            assertThat(firstClosed).isBetween(limit - 20, limit);

            // Slots given back serve a request again.
            for (int i = 0; i < 30; i++) {
                held.remove(0).close();
            }
            Thread.sleep(500);
            String answer = RawHttp.of(root).exchange("GET /q/does-not-exist HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n", 5_000);
            assertThat(answer).startsWith("HTTP/1.1 ");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(1);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
