package dev.keyline.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a raw socket, for the tests of what a client library would never do: send a body one
 * byte at a time, stop half-way, or leave it unsent.
 */
record RawHttp(String host, int port) {

    static RawHttp of(URL root) {
        return new RawHttp(root.getHost(), root.getPort());
    }

    /** Sends a POST's headers declaring {@code length} bytes, and one byte of the body. */
    Socket startSlowPost(String path, String contentType, int length) throws IOException {
        return startSlowPost(path, contentType, length, 1, "");
    }

    /**
     * Sends a POST's headers ({@code extraHeaders}: whole lines, each ending in CRLF) declaring {@code length}
     * bytes, and the first {@code sent} bytes of the body (none when 0).
     */
    Socket startSlowPost(String path, String contentType, int length, int sent, String extraHeaders)
            throws IOException {
        Socket socket = new Socket(host, port);
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                + contentType + "\r\nContent-Length: " + length + "\r\n" + extraHeaders + "\r\n"
                + (sent > 0 ? "{" + " ".repeat(sent - 1) : "")).getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    String exchange(String request, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readAll(socket.getInputStream());
        }
    }

    /** Everything until the server closes the connection (a timeout keeps what arrived). */
    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0;) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | SocketException ended) {
            // keep what arrived
        }
        return answer.toString(StandardCharsets.UTF_8);
    }
}
