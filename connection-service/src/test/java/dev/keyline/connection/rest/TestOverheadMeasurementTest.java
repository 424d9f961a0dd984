package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Measures what {@code POST /test} costs over a bare {@code DriverManager.getConnection} +
 * {@code SELECT CURRENT_USER(), CURRENT_ROLE()} against the emulator, in this JVM (both warm).
 * The extra is HTTP + bearer-JWT check, a PostgreSQL read, a Vault read, key parsing, one more
 * column and an audit row (its own transaction). Note both paths pay for the DEBUG-level driver
 * logging of the test profile. Writes {@code target/test-overhead.txt}; asserts only a generous bound.
 */
@QuarkusTest
class TestOverheadMeasurementTest {

    static final int ROUNDS = 25;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @TestHTTPResource("/api/v1/connections")
    URI testUrl;

    @BeforeAll
    static void guard() {
        SecretLeakGuard.install();
    }

    @Test
    void testEndpointOverheadOverABareDriverLogin() throws Exception {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_MEASURE", key.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("measure"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null));
        Properties props = new Properties();
        props.put("account", ConnectionFixtures.ACCOUNT.toLowerCase());
        props.put("user", user);
        props.put("role", ConnectionFixtures.SERVICE_ROLE);
        props.put("warehouse", "COMPUTE_WH");
        props.put("authenticator", "SNOWFLAKE_JWT");
        props.put("privateKey", key.getPrivate());
        props.put("disablePlatformDetection", "true");
        String url = snowflake.jdbcUrl();

        // A plain JDK client: rest-assured and the leak-guard filter would add their own milliseconds.
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest test = HttpRequest.newBuilder(URI.create(testUrl + "/" + id + "/test"))
                .header("Authorization", MANAGER).POST(HttpRequest.BodyPublishers.noBody()).build();
        List<Long> bare = new ArrayList<>();
        List<Long> api = new ArrayList<>();
        List<Long> inside = new ArrayList<>();
        for (int i = 0; i < ROUNDS + 5; i++) {
            long t0 = System.nanoTime();
            Connection c = DriverManager.getConnection(url, props);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER(), CURRENT_ROLE()")) {
                assertThat(rs.next()).isTrue();
            }
            long t1 = System.nanoTime();
            c.close();
            long t2 = System.nanoTime();
            HttpResponse<String> response = http.send(test, HttpResponse.BodyHandlers.ofString());
            long t3 = System.nanoTime();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            int latency = Integer.parseInt(response.body().replaceAll(".*\"latencyMillis\":(\\d+).*", "$1"));
            if (i >= 5) { // the first rounds warm both paths up
                bare.add(t1 - t0);
                api.add(t3 - t2);
                inside.add(latency * 1_000_000L);
            }
        }
        double bareMedian = median(bare) / 1e6;
        double apiMedian = median(api) / 1e6;
        double ratio = apiMedian / bareMedian;
        String report = String.format(java.util.Locale.ROOT,
                "POST /test vs bare DriverManager.getConnection + SELECT against the snowflake-emulator, %d rounds, medians:%n"
                        + "bare %.1f ms, /test %.1f ms, ratio %.2f (overhead %.1f ms); "
                        + "login + SELECT inside /test (its latencyMillis) %.1f ms%n",
                ROUNDS, bareMedian, apiMedian, ratio, apiMedian - bareMedian, median(inside) / 1e6);
        System.out.print(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/test-overhead.txt"), report, StandardCharsets.UTF_8);
        assertThat(ratio).as(report).isLessThan(10.0);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
