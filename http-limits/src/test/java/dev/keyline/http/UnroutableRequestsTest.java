package dev.keyline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** What the router refuses before any route is a problem+json 400 and no ERROR line (anyone can send it). */
@QuarkusTest
class UnroutableRequestsTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void aRequestWithoutHostIsAProblemAndNoErrorLine() throws IOException {
        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(handler);
        try {
            String answer = RawHttp.of(root).exchange("GET /body HTTP/1.1\r\nConnection: close\r\n\r\n", 5_000);
            assertThat(answer).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/problem+json");
            JsonObject problem = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(problem.getString("type")).isEqualTo("urn:keyline:problem:bad-request");
            assertThat(problem.getString("detail")).isEqualTo("For HTTP/1.x requests, the 'Host' header is required");
        } finally {
            Logger.getLogger("").removeHandler(handler);
        }
        assertThat(errors).extracting(LogRecord::getMessage).isEmpty();
    }
}
