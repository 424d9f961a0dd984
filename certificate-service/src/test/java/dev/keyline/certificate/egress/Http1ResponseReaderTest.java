package dev.keyline.certificate.egress;

import dev.keyline.certificate.egress.Http1ResponseReader.MalformedResponseException;
import dev.keyline.certificate.egress.Http1ResponseReader.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Response framing edge cases, on bytes rather than over TLS. */
class Http1ResponseReaderTest {

    @Test
    void readsContentLengthBody() throws IOException {
        Response response = read("HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhelloEXTRA", 100);

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.reason()).isEqualTo("Created");
        assertThat(response.headers()).containsExactly(new HttpHeader("Content-Length", "5"), new HttpHeader("X-A", "1"));
        assertThat(text(response)).isEqualTo("hello");
        assertThat(response.truncated()).isFalse();
    }

    @Test
    void readsUntilCloseWithoutFraming() throws IOException {
        Response response = read("HTTP/1.0 200 OK\r\n\r\nall of it", 100);

        assertThat(text(response)).isEqualTo("all of it");
        assertThat(response.truncated()).isFalse();
    }

    @Test
    void truncatesUntilCloseBody() throws IOException {
        Response response = read("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789", 4);

        assertThat(text(response)).isEqualTo("0123");
        assertThat(response.truncated()).isTrue();
    }

    @Test
    void bodyOfExactlyTheLimitIsNotTruncated() throws IOException {
        assertThat(read("HTTP/1.1 200 OK\r\n\r\n0123", 4).truncated()).isFalse();
        assertThat(read("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n0123", 4).truncated()).isFalse();
    }

    @Test
    void truncatesContentLengthBodyWithoutReadingTheRest() throws IOException {
        Response response = read("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n0123456789", 3);

        assertThat(text(response)).isEqualTo("012");
        assertThat(response.truncated()).isTrue();
    }

    @Test
    void decodesChunksWithExtensionsAndTrailers() throws IOException {
        Response response = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n", 100);

        assertThat(text(response)).isEqualTo("hello 0123456789");
        assertThat(response.truncated()).isFalse();
    }

    @Test
    void truncatesChunkedBody() throws IOException {
        Response response = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", 7);

        assertThat(text(response)).isEqualTo("hellowo");
        assertThat(response.truncated()).isTrue();
    }

    @Test
    void transferEncodingWinsOverContentLength() throws IOException {
        Response response = read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n", 100);

        assertThat(text(response)).isEqualTo("abc");
        // Both framings in one message: read, but the connection is not used for another request.
        assertThat(response.reusable()).isFalse();
        assertThat(read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 100)
                .reusable()).isTrue();
    }

    @Test
    void endlessChunkExtensionsAreCutOffNotReadUntilTheDeadline() {
        // One data byte per 8,000 bytes of extension, without end: the probe's 2 GB per exchange.
        int max = 256 * 1024;
        byte[] head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = ("1;" + "e".repeat(8_000) + "\r\na\r\n").getBytes(StandardCharsets.US_ASCII);
        long[] served = new long[1];
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                if (served[0] > 64L * 1024 * 1024) {
                    throw new IOException("64 MiB read and still going"); // what the deadline would end
                }
                long at = served[0]++;
                return at < head.length ? head[(int) at] : chunk[(int) ((at - head.length) % chunk.length)];
            }
        };

        assertThatThrownBy(() -> new Http1ResponseReader(new java.io.BufferedInputStream(endless)).read(false, max))
                .isInstanceOf(MalformedResponseException.class).hasMessageContaining("chunk framing");
        assertThat(served[0]).as("bytes read").isLessThan(8L * max + 64 * 1024 + 16 * 1024);
    }

    @Test
    void oneByteChunksUpToTheCapAreStillRead() throws IOException {
        int max = 4_096;
        StringBuilder raw = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 100_000; i++) {
            raw.append("1\r\nx\r\n");
        }
        raw.append("0\r\n\r\n");

        Response response = read(raw.toString(), max);
        assertThat(response.body()).hasSize(max);
        assertThat(response.truncated()).isTrue();
    }

    @Test
    void skipsInterimResponses() throws IOException {
        Response response = read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 100);

        assertThat(response.status()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("ok");
    }

    @ParameterizedTest(name = "[{index}] status {0} has no body")
    @CsvSource({"204", "304"})
    void noBodyStatuses(int status) throws IOException {
        Response response = read("HTTP/1.1 " + status + " X\r\nContent-Length: 5\r\n\r\nhello", 100);

        assertThat(response.body()).isEmpty();
    }

    @Test
    void headResponseHasNoBody() throws IOException {
        Response response = new Http1ResponseReader(stream("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")).read(true, 100);

        assertThat(response.body()).isEmpty();
    }

    @Test
    void acceptsBareLineFeedsAndMissingReason() throws IOException {
        Response response = read("HTTP/1.1 200\nContent-Length: 2\n\nok", 100);

        assertThat(response.reason()).isEmpty();
        assertThat(text(response)).isEqualTo("ok");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                                                 | without a response
            SSH-2.0-OpenSSH\\r\\n\\r\\n                                        | status line
            HTTP/2 200\\r\\n\\r\\n                                             | status line
            HTTP/1.1 2000 OK\\r\\n\\r\\n                                       | status line
            HTTP/1.1 099 Low\\r\\n\\r\\n                                       | status code
            HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n                       | middle of the response head
            HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nabc              | after 3 of 5
            HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nContent-Length: 3\\r\\n\\r\\nabc | conflicting
            HTTP/1.1 200 OK\\r\\nContent-Length: -1\\r\\n\\r\\n                | invalid Content-Length
            HTTP/1.1 200 OK\\r\\nContent-Length: 1x\\r\\n\\r\\n                | invalid Content-Length
            HTTP/1.1 200 OK\\r\\nX: a\\r\\n folded\\r\\n\\r\\n                 | folded
            HTTP/1.1 200 OK\\r\\nNo colon here\\r\\n\\r\\n                     | without a name
            HTTP/1.1 200 OK\\r\\nBad Name: x\\r\\n\\r\\n                       | header name
            HTTP/1.1 101 Switching Protocols\\r\\n\\r\\n                       | switched protocols
            HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n | chunk size
            HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nab | inside a chunk
            HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n2\\r\\nabX\\r\\n | CRLF
            """)
    void rejectsMalformedResponses(String raw, String reasonFragment) {
        String unescaped = raw.replace("\\r", "\r").replace("\\n", "\n");

        assertThatThrownBy(() -> read(unescaped, 100))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining(reasonFragment);
    }

    @Test
    void boundsLineAndHeaderSizes() {
        String longLine = "HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(Http1ResponseReader.MAX_LINE_BYTES) + "\r\n\r\n";
        StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i <= Http1ResponseReader.MAX_HEADERS; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        many.append("\r\n");
        StringBuilder big = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 20; i++) {
            big.append("X-H").append(i).append(": ").append("b".repeat(4000)).append("\r\n");
        }

        assertThatThrownBy(() -> read(longLine, 100)).hasMessageContaining("line longer");
        assertThatThrownBy(() -> read(many.toString(), 100)).hasMessageContaining("too many");
        assertThatThrownBy(() -> read(big.toString(), 100)).hasMessageContaining("head larger");
    }

    @Test
    void manySmallChunksAreFine() throws IOException {
        StringBuilder raw = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 20_000; i++) {
            raw.append("1\r\nx\r\n");
        }
        raw.append("0\r\n\r\n");

        assertThat(read(raw.toString(), 100_000).body()).hasSize(20_000);
    }

    private static Response read(String raw, int maxBody) throws IOException {
        return new Http1ResponseReader(stream(raw)).read(false, maxBody);
    }

    private static ByteArrayInputStream stream(String raw) {
        return new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String text(Response response) {
        return new String(response.body(), StandardCharsets.ISO_8859_1);
    }
}
