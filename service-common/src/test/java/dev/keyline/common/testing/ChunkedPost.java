package dev.keyline.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A JSON POST sent with {@code Transfer-Encoding: chunked} over a raw socket, for tests of bodies
 * that declare no length: HTTP clients choose the framing themselves.
 */
public final class ChunkedPost {

    private ChunkedPost() {
    }

    /** POSTs the body in 64 KiB chunks and returns the whole answer (the server may close before all is sent). */
    public static String post(URL root, String path, String authorization, String json) throws IOException {
        return post(root, path, authorization, "application/json", json);
    }

    /** {@link #post(URL, String, String, String)} with a body of {@code contentType} (a multipart form, say). */
    public static String post(URL root, String path, String authorization, String contentType, String content)
            throws IOException {
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                    + "\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                for (int offset = 0; offset < body.length; offset += 65_536) {
                    int n = Math.min(65_536, body.length - offset);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, offset, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketException closedEarly) {
                // The server answered and closed before the whole body was sent: read what it said.
            }
            return readAnswer(socket.getInputStream());
        }
    }

    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0;) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.UTF_8);
                int headEnd = text.indexOf("\r\n\r\n");
                if (headEnd > 0 && complete(text, headEnd)) {
                    break;
                }
            }
        } catch (SocketException reset) {
            // A reset after the answer: keep what arrived.
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static boolean complete(String text, int headEnd) {
        String head = text.substring(0, headEnd).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int length = Integer.parseInt(head.substring(at + 15, head.indexOf("\r\n", at) < 0 ? head.length()
                : head.indexOf("\r\n", at)).trim());
        return text.getBytes(StandardCharsets.UTF_8).length >= headEnd + 4 + length;
    }
}
