package dev.keyline.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.DynamicTest;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * One hostile request and what every answer to it must be: a 4xx {@code application/problem+json}
 * within {@link #DEADLINE}, never a 5xx, no secret part of the input in the body, and nothing stored
 * (the caller's snapshot of stored state is the same before and after). Counts passes and failures
 * for the suite's summary line.
 *
 * <p>The deadline is a generous guard against seconds-to-minutes blow-ups (backtracking regular
 * expressions, attacker-chosen key derivation), not a performance target.
 */
public final class HostileInput {

    /** The guard: today's slow paths take 48 s and more. */
    public static final Duration DEADLINE = Duration.ofSeconds(2);

    /** A request that hangs is cut off here, so one stall fails one case instead of the whole build. */
    private static final int SOCKET_TIMEOUT_MILLIS = 15_000;

    private static final AtomicInteger PASSED = new AtomicInteger();
    private static final AtomicInteger FAILED = new AtomicInteger();

    private HostileInput() {
    }

    /** Rest Assured settings for hostile requests: a socket timeout so a stalled service fails the case. */
    public static RestAssuredConfig config() {
        return RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", SOCKET_TIMEOUT_MILLIS)
                .setParam("http.connection.timeout", SOCKET_TIMEOUT_MILLIS));
    }

    /**
     * @param name    shown in the test report: endpoint, field and payload
     * @param send    sends the request (built with {@link #config()})
     * @param secrets parts of the input that must never come back (keys, passphrases, long payloads)
     * @param stored  a snapshot of everything the request could have stored (row counts, Vault secret
     *                count, versions); compared before and after
     */
    public static DynamicTest test(String name, Supplier<Response> send, Collection<String> secrets,
            Supplier<Object> stored) {
        return DynamicTest.dynamicTest(name, () -> run(name, send, secrets, stored));
    }

    private static void run(String name, Supplier<Response> send, Collection<String> secrets, Supplier<Object> stored) {
        try {
            Object before = stored.get();
            long start = System.nanoTime();
            Response response = send.get();
            String body = response.asString();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            int status = response.statusCode();
            assertThat(status).as("%s: status (body %s)", name, abbreviate(body)).isBetween(400, 499);
            assertThat(response.contentType()).as("%s: content type", name).startsWith("application/problem+json");
            assertThat(took).as("%s: answered in %s ms", name, took.toMillis()).isLessThanOrEqualTo(DEADLINE);
            for (String secret : secrets) {
                String leak = leakOf(secret, body);
                assertThat(leak).as("%s: the body echoes part of the input", name).isNull();
            }
            assertThat(stored.get()).as("%s: stored state", name).isEqualTo(before);
            PASSED.incrementAndGet();
        } catch (AssertionError | RuntimeException e) {
            FAILED.incrementAndGet();
            throw e;
        }
    }

    /** The 48-character window of {@code secret} found in {@code body}, or null; short secrets whole. */
    static String leakOf(String secret, String body) {
        if (secret == null || secret.isEmpty()) {
            return null;
        }
        String compact = strip(secret);
        String text = strip(body);
        if (compact.length() < 48) {
            return compact.length() >= 8 && text.contains(compact) ? compact : null;
        }
        for (int i = 0; i + 48 <= compact.length(); i += 24) {
            String window = compact.substring(i, i + 48);
            if (text.contains(window)) {
                return window;
            }
        }
        return null;
    }

    /** Drops PEM armour lines and whitespace, so a re-wrapped echo still counts. */
    private static String strip(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            if (!line.startsWith("-----BEGIN ") && !line.startsWith("-----END ")) {
                for (int i = 0; i < line.length(); i++) {
                    char c = line.charAt(i);
                    if (!Character.isWhitespace(c)) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String abbreviate(String body) {
        return body.length() <= 600 ? body : body.substring(0, 600) + "…";
    }

    /** The suite's summary line, e.g. {@code hostile-input: 412 passed, 0 failed (certificate-service)}. */
    public static String summary(String service) {
        return "hostile-input: " + PASSED.get() + " passed, " + FAILED.get() + " failed (" + service + ")";
    }

    /** Prints {@link #summary(String)}; call from {@code @AfterAll}. */
    public static void printSummary(String service) {
        System.out.println(summary(service));
    }

    /** One field of one endpoint: how to send a payload in it. */
    public record Target(String endpoint, String field, Function<String, Response> send) {
    }

    /** {@code payload} sent through {@code target}. */
    public static DynamicTest test(Target target, String payloadName, String payload, Collection<String> secrets,
            Supplier<Object> stored) {
        return test(target.endpoint() + " " + target.field() + " <- " + payloadName, () -> target.send().apply(payload),
                secrets, stored);
    }

    /** A request as {@code bearer}, with the hostile-request settings. */
    public static RequestSpecification as(String bearer) {
        return RestAssured.given().config(config()).header("Authorization", bearer);
    }

    /**
     * Row count and a digest of every row of {@code table}: equal before and after means nothing was
     * inserted, updated or deleted. Read in the database, not through the API, so a snapshot costs no
     * request (and no leak-guard pass over a page of results).
     */
    public static List<Object> tableState(DataSource dataSource, String table) {
        return tableState(dataSource, table, "true");
    }

    /** As {@link #tableState(DataSource, String)} over the rows matching {@code condition} (SQL, on alias {@code t}). */
    public static List<Object> tableState(DataSource dataSource, String table, String condition) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*), md5(coalesce(string_agg(t::text, ',' order by t::text), ''))"
                        + " from " + table + " t where " + condition)) {
            r.next();
            return List.of(r.getLong(1), r.getString(2));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For test names: at most 60 characters, non-printable ones as {@code ?}. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 60; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > 60 ? out + "…(" + text.length() + ")" : out.toString();
    }
}
