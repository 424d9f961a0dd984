package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.READER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The API port speaks HTTP/1.1 only: over HTTP/2 a body without content-length could not be read before its
 * resource and held a worker thread with no deadline (application.properties says more). A client that prefers
 * HTTP/2 is served over HTTP/1.1.
 */
@QuarkusTest
class HttpOneOnlyTest {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @TestHTTPResource("/")
    URL root;

    @Test
    void anHttp2ConnectionIsNotTakenUp() throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write(PREFACE);
            // An empty SETTINGS frame: the first frame an HTTP/2 client sends after the preface.
            socket.getOutputStream().write(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                byte[] buffer = new byte[1024];
                for (int n; (n = socket.getInputStream().read(buffer)) > 0;) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // what came is enough
            }
            byte[] bytes = answer.toByteArray();
            // An HTTP/2 server answers with its own SETTINGS frame (type 4 in the fourth byte); this one does not.
            assertThat(bytes.length >= 4 && bytes[3] == 4 && bytes[0] == 0)
                    .as("answered with an HTTP/2 SETTINGS frame: %s", new String(bytes, StandardCharsets.ISO_8859_1))
                    .isFalse();
        }
    }

    @Test
    void aClientPreferringHttp2IsServedOverHttp11() throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build().send(
                HttpRequest.newBuilder(URI.create(root + "api/v1/certificates")).header("Authorization", READER).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
}
