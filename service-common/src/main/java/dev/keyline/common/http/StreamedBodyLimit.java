package dev.keyline.common.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The same ceiling as http-limits' declared-length check for a body that declares no length (sent chunked).
 * That check can only read {@code Content-Length}; without it the body was cut off by
 * Vert.x' hard limit ({@code quarkus.http.limits.max-body-size}) with an empty 413, and the
 * service logged the reader's failure as an unexpected error. Counting while the entity is read
 * keeps the body streamed (nothing is buffered here) and ends it at the ceiling with
 * {@link BodyTooLargeException}, which {@code ProblemMappers} answers as 413 problem+json.
 * <p>
 * http-limits' {@code RequestBodyDeadline} now reads bodies on the event loop and answers a chunked HTTP/1.1
 * body past the ceiling itself; this stays for what it leaves to Quarkus REST (an HTTP/2 body without a length).
 */
@Provider
public class StreamedBodyLimit implements ReaderInterceptor {

    @ConfigProperty(name = "keyline.http.max-request-bytes", defaultValue = "1048576")
    long maxRequestBytes;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH) == null) {
            context.setInputStream(new Counted(context.getInputStream(), maxRequestBytes));
        }
        return context.proceed();
    }

    /** Thrown by the entity's stream once more than the ceiling has been read. */
    public static final class BodyTooLargeException extends IOException {

        private final long limit;

        BodyTooLargeException(long limit) {
            super("request body larger than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    private static final class Counted extends FilterInputStream {

        private final long limit;
        private long read;

        Counted(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            if (skipped > 0) {
                count(skipped);
            }
            return skipped;
        }

        private void count(long n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(limit);
            }
        }
    }
}
