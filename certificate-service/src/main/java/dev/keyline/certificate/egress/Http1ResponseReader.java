package dev.keyline.certificate.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads one HTTP/1.x response: status line, headers, body framed by Content-Length, chunked
 * encoding, or connection close.
 *
 * <p>Every part is bounded (line length, header count and size, body size) because the server is
 * outside our control: without bounds a server could exhaust memory with one endless header line.
 */
final class Http1ResponseReader {

    static final int MAX_LINE_BYTES = 8 * 1024;
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_HEADERS = 200;
    private static final int MAX_INTERIM_RESPONSES = 10;

    /**
     * Chunk framing (size lines with their extensions, the CRLF after each chunk) one response may take: this
     * many bytes per body byte allowed, and at least {@link #MIN_FRAMING_BYTES}. Why: the body cap counts data
     * only, and each chunk line is bounded alone; a server sending {@code 1;} and 8,000 bytes of extension per
     * byte of data was read at line rate until the deadline, ~2 GB and 13 s of CPU per exchange (a probe's
     * finding). Eight per byte still reads a body of 1-byte chunks (5 framing bytes each) up to the cap.
     */
    static final int FRAMING_BYTES_PER_BODY_BYTE = 8;
    static final int MIN_FRAMING_BYTES = 64 * 1024;

    /**
     * The response as read; the caller adds TLS and timing details.
     *
     * @param reusable whether the connection may carry another request: the message ended where its
     *                 framing said (Content-Length read whole, last chunk and trailers read, or no body),
     *                 nothing was left unread, it is HTTP/1.1 and the server did not say {@code Connection: close}
     */
    record Response(int status, String reason, List<HttpHeader> headers, byte[] body, boolean truncated,
                    boolean reusable) {

        Response(int status, String reason, List<HttpHeader> headers, byte[] body, boolean truncated) {
            this(status, reason, headers, body, truncated, false);
        }

        private Response framed(boolean keepAlive) {
            return new Response(status, reason, headers, body, truncated, keepAlive && !truncated);
        }
    }

    /** The server broke HTTP/1.1; mapped to {@link ExchangeFailedException.Kind#PROTOCOL}. */
    static final class MalformedResponseException extends IOException {

        private static final long serialVersionUID = 1L;

        MalformedResponseException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private int headerBytes;

    /** @param in should be buffered: lines are read byte by byte */
    Http1ResponseReader(InputStream in) {
        this.in = in;
    }

    Response read(boolean headRequest, int maxBodyBytes) throws IOException {
        for (int interim = 0; interim <= MAX_INTERIM_RESPONSES; interim++) {
            headerBytes = 0;
            String statusLine = readLine(true);
            int status = parseStatus(statusLine);
            String reason = statusLine.length() > 13 ? statusLine.substring(13) : "";
            List<HttpHeader> headers = readHeaders();
            if (status == 101) {
                throw new MalformedResponseException("server switched protocols without being asked");
            }
            if (status >= 100 && status < 200) {
                continue; // 100 Continue, 103 Early Hints: the real response follows
            }
            boolean keepAlive = statusLine.startsWith("HTTP/1.1") && !saysClose(headers);
            if (headRequest || status == 204 || status == 304) {
                return new Response(status, reason, headers, new byte[0], false).framed(keepAlive);
            }
            return readBody(status, reason, headers, maxBodyBytes, keepAlive);
        }
        throw new MalformedResponseException("too many interim (1xx) responses");
    }

    /** {@code Connection: close} (the token, in any case, among others) ends the connection after this response. */
    private static boolean saysClose(List<HttpHeader> headers) {
        String connection = joined(headers, "Connection");
        if (connection == null) {
            return false;
        }
        for (String token : connection.split(",")) {
            if (token.strip().equalsIgnoreCase("close")) {
                return true;
            }
        }
        return false;
    }

    private Response readBody(int status, String reason, List<HttpHeader> headers, int max, boolean keepAlive)
            throws IOException {
        String transferEncoding = joined(headers, "Transfer-Encoding");
        if (transferEncoding != null) {
            // Transfer-Encoding wins over Content-Length (RFC 9112 6.3); without chunked last, the body runs to close.
            String[] codings = transferEncoding.split(",");
            String last = codings[codings.length - 1].strip().toLowerCase(Locale.ROOT);
            if (last.equals("chunked")) {
                // With a Content-Length too, the message "ought to be handled as an error" (RFC 9112 6.3): the
                // framing is read as Transfer-Encoding says, and the connection is not used again.
                boolean alsoLength = joined(headers, "Content-Length") != null;
                return readChunked(status, reason, headers, max).framed(keepAlive && !alsoLength);
            }
            return readToClose(status, reason, headers, max);
        }
        long contentLength = contentLength(headers);
        if (contentLength >= 0) {
            return readFixed(status, reason, headers, contentLength, max).framed(keepAlive);
        }
        return readToClose(status, reason, headers, max);
    }

    private Response readFixed(int status, String reason, List<HttpHeader> headers, long length, int max)
            throws IOException {
        int keep = (int) Math.min(length, max);
        byte[] body = in.readNBytes(keep);
        if (body.length < keep) {
            throw new MalformedResponseException(
                    "connection closed after " + body.length + " of " + length + " body bytes");
        }
        return new Response(status, reason, headers, body, length > max);
    }

    private Response readToClose(int status, String reason, List<HttpHeader> headers, int max) throws IOException {
        byte[] upToOneMore = in.readNBytes(max == Integer.MAX_VALUE ? max : max + 1);
        if (upToOneMore.length > max) {
            return new Response(status, reason, headers, Arrays.copyOf(upToOneMore, max), true);
        }
        return new Response(status, reason, headers, upToOneMore, false);
    }

    private Response readChunked(int status, String reason, List<HttpHeader> headers, int max) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(max, 16 * 1024));
        long framingLimit = Math.max(MIN_FRAMING_BYTES, (long) FRAMING_BYTES_PER_BODY_BYTE * max);
        long framingLeft = framingLimit;
        while (true) {
            headerBytes = 0; // the head limit is for the head; chunk lines are bounded per line and in all
            String sizeLine = readLine(false);
            framingLeft -= sizeLine.length() + 2L;
            if (framingLeft < 0) {
                throw new MalformedResponseException("chunk framing (size lines, extensions) over " + framingLimit + " bytes");
            }
            long size = parseChunkSize(sizeLine);
            if (size == 0) {
                readTrailers();
                return new Response(status, reason, headers, body.toByteArray(), false);
            }
            int room = max - body.size();
            if (size > room) {
                body.write(in.readNBytes(room));
                return new Response(status, reason, headers, body.toByteArray(), true);
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length < size) {
                throw new MalformedResponseException("connection closed inside a chunk");
            }
            body.write(chunk);
            if (!readLine(false).isEmpty()) {
                throw new MalformedResponseException("chunk data not followed by CRLF");
            }
            framingLeft -= 2;
        }
    }

    private static long parseChunkSize(String line) throws MalformedResponseException {
        int end = line.indexOf(';');
        String hex = (end < 0 ? line : line.substring(0, end)).strip();
        if (hex.isEmpty() || hex.length() > 8) {
            throw new MalformedResponseException("invalid chunk size");
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0) {
                throw new MalformedResponseException("invalid chunk size");
            }
            size = size * 16 + digit;
        }
        if (size > Integer.MAX_VALUE) {
            throw new MalformedResponseException("chunk too large");
        }
        return size;
    }

    private void readTrailers() throws IOException {
        headerBytes = 0;
        int count = 0;
        while (!readLine(false).isEmpty()) {
            if (++count > MAX_HEADERS) {
                throw new MalformedResponseException("too many trailer fields");
            }
        }
    }

    private static int parseStatus(String line) throws MalformedResponseException {
        // "HTTP/1.1 200 OK": version, space, three digits, then a space and an optional reason.
        if (line.length() < 12 || !line.startsWith("HTTP/1.") || !Character.isDigit(line.charAt(7))
                || line.charAt(8) != ' ' || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new MalformedResponseException("not an HTTP/1.x status line");
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedResponseException("not an HTTP/1.x status line");
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100) {
            throw new MalformedResponseException("invalid status code");
        }
        return status;
    }

    private List<HttpHeader> readHeaders() throws IOException {
        List<HttpHeader> headers = new ArrayList<>();
        while (true) {
            String line = readLine(false);
            if (line.isEmpty()) {
                return headers;
            }
            if (headers.size() >= MAX_HEADERS) {
                throw new MalformedResponseException("too many response headers");
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new MalformedResponseException("folded header lines are not allowed");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedResponseException("header line without a name");
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            try {
                headers.add(new HttpHeader(name, sanitised(value)));
            } catch (IllegalArgumentException e) {
                throw new MalformedResponseException("invalid response header name");
            }
        }
    }

    /** Responses may carry obs-text (bytes >= 0x80); keep the header rather than fail, with those bytes replaced. */
    private static String sanitised(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                if (out == null) {
                    out = new StringBuilder(value.substring(0, i));
                }
                out.append('?');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }

    private static long contentLength(List<HttpHeader> headers) throws MalformedResponseException {
        long length = -1;
        for (HttpHeader header : headers) {
            if (!header.named("Content-Length")) {
                continue;
            }
            for (String part : header.value().split(",", -1)) {
                String digits = part.strip();
                if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new MalformedResponseException("invalid Content-Length");
                }
                long value = Long.parseLong(digits);
                if (length >= 0 && value != length) {
                    throw new MalformedResponseException("conflicting Content-Length values");
                }
                length = value;
            }
        }
        return length;
    }

    private static String joined(List<HttpHeader> headers, String name) {
        String result = null;
        for (HttpHeader header : headers) {
            if (header.named(name)) {
                result = result == null ? header.value() : result + "," + header.value();
            }
        }
        return result;
    }

    /**
     * One line without its CRLF (a bare LF is tolerated, as most clients do). Bytes are read as
     * ISO-8859-1 so any octet maps to one char and nothing fails to decode.
     */
    private String readLine(boolean statusLine) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (statusLine && line.size() == 0) {
                    throw new MalformedResponseException("server closed the connection without a response");
                }
                throw new MalformedResponseException("connection closed in the middle of the response head");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > MAX_LINE_BYTES) {
                throw new MalformedResponseException("response line longer than " + MAX_LINE_BYTES + " bytes");
            }
            if (++headerBytes > MAX_HEADER_BYTES) {
                throw new MalformedResponseException("response head larger than " + MAX_HEADER_BYTES + " bytes");
            }
        }
    }
}
