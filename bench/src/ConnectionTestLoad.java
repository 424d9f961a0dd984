import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Connection test through connection-service next to the floor: the same login and query made
 * directly with the Snowflake JDBC driver, against the same snowflake-emulator, in one run.
 *
 * <pre>
 * java -cp 'connection-service/target/quarkus-app/lib/main/*' bench/src/ConnectionTestLoad.java \
 *      SNOWFLAKE_EMULATOR_URL CONNECTION_SERVICE_URL ADMIN_TOKEN KEY_ADMIN_CONNECTION_ID [account=DEMO] [samples=200]
 * </pre>
 *
 * Seeds one service user, creates its key-pair connection (key registered in slot 1 through the
 * key-admin connection), warms both JVMs up, then alternates blocks of ten service tests
 * ({@code POST /connections/{id}/test}) and ten bare logins ({@code Driver.connect} + the same
 * {@code SELECT CURRENT_USER(), CURRENT_ROLE(), CURRENT_ACCOUNT(), CURRENT_WAREHOUSE(), …} as the service), so that load from elsewhere
 * falls on both alike. Prints p50/p90/p99 of each and the ratio of the medians.
 *
 * <p>
 * Warm-up ({@code -Dwarmup}, default 3000): both JVMs run the driver's login that many times before
 * anything is measured: the service {@code warmup} tests, this JVM {@code warmup / 4} logins of each
 * of its four bare series. Until 2026-12-05 each series got 300 calls, so this JVM had run the
 * driver's login 900 times and the service 300: the service was still compiling (its C2 thread used
 * 1-3 ms of CPU per test on the two cores the test itself needs, for its first ~5,000 tests; a plain
 * GET's p50 falls from 4 ms to 0.7 ms over its first ~3,000 requests) while the bare series ran
 * compiled code. A plain authorised GET of the same connection is measured alongside: the request
 * pipeline (HTTP, token check, the row read, JSON) without the login.
 *
 * <p>
 * HTTP to the service is measured the way the driver makes its own calls: blocking, on the calling
 * thread, over a kept-alive connection ({@link HttpURLConnection}). {@code java.net.http.HttpClient}
 * hands every exchange to its selector and worker threads and back, which measured ~0.3 ms more per
 * request here (a warm GET 0.83 → 0.53 ms), a cost of this client that the bare series do not pay.
 * POST bodies are buffered, not streamed, for the same reason ({@link #send}); until 2026-12-06 the
 * service's test carried ~1.4 ms of this client's own delay.
 */
public class ConnectionTestLoad {

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ConnectionTestLoad SNOWFLAKE_URL CONNECTION_URL TOKEN ADMIN_CONNECTION_ID [account] [samples]");
            System.exit(2);
        }
        String snowflake = args[0];
        String cs = args[1];
        String token = args[2];
        String adminConnection = args[3];
        String account = args.length > 4 ? args[4] : "DEMO";
        int samples = args.length > 5 ? Integer.parseInt(args[5]) : 200;
        int warmup = Integer.getInteger("warmup", 3000);
        String user = "BENCH_TEST_" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();

        send("POST", snowflake + "/__admin/seed", null, "{\"accounts\":[{\"name\":\"" + account + "\",\"users\":[{\"name\":\""
                + user + "\",\"defaultRole\":\"LOADER\",\"roles\":[\"LOADER\"],\"defaultWarehouse\":\"DEMO_WH\",\"type\":\"SERVICE\"}]}]}",
                200, 204);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
        String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
        String created = send("POST", cs + "/api/v1/connections", token, "{\"name\":\"bench-test-" + user.toLowerCase()
                + "\",\"details\":{\"type\":\"snowflake\",\"account\":\"" + account + "\",\"host\":\"" + snowflake + "\",\"user\":\""
                + user + "\",\"role\":\"LOADER\",\"warehouse\":\"DEMO_WH\",\"authType\":\"key-pair\",\"privateKey\":\""
                + json(privatePem) + "\",\"keyAdminConnectionId\":\"" + adminConnection + "\"}}", 201);
        String id = field(created, "id");
        send("PUT", cs + "/api/v1/connections/" + id + "/key-slots/1", token, "{\"publicKey\":\"" + json(publicPem) + "\"}", 200);

        Driver driver = (Driver) Class.forName("net.snowflake.client.api.driver.SnowflakeDriver").getField("INSTANCE").get(null);
        URI host = URI.create(snowflake);
        String url = "jdbc:snowflake://" + host.getHost() + ":" + host.getPort() + "/?ssl=off";
        Properties props = new Properties();
        props.put("account", account);
        props.put("user", user);
        props.put("authenticator", "SNOWFLAKE_JWT");
        props.put("privateKey", pair.getPrivate());
        props.put("disablePlatformDetection", "true");
        props.put("role", "LOADER");
        props.put("warehouse", "DEMO_WH");

        List<Long> insideNanos = new ArrayList<>();
        List<Long> bareResultNanos = new ArrayList<>();
        boolean[] record = { false };
        Runnable service = () -> {
            String result = send("POST", cs + "/api/v1/connections/" + id + "/test", token, "", 200);
            if (!result.contains("\"ok\":true")) {
                throw new IllegalStateException("the service's test failed: " + result);
            }
            if (record[0]) {
                // The service's own figure: its login + SELECT, as the gateway timed it.
                insideNanos.add(Long.parseLong(result.replaceAll(".*\"latencyMillis\":(\\d+).*", "$1")) * 1_000_000L);
            }
        };
        Runnable bare = () -> {
            long start = System.nanoTime();
            try (Connection c = driver.connect(url, props); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT CURRENT_USER(), CURRENT_ROLE(), CURRENT_ACCOUNT(), CURRENT_WAREHOUSE(), CURRENT_DATABASE(), CURRENT_SCHEMA()")) {
                if (!rs.next() || !user.equals(rs.getString(1))) {
                    throw new IllegalStateException("the bare login returned another user");
                }
                if (record[0] && !Thread.currentThread().isVirtual()) {
                    bareResultNanos.add(System.nanoTime() - start); // before the close (logout request)
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        // The same login with the timeouts the service sets: as it sets them now (the statement timeout
        // enforced by Snowflake), and with the driver's client-side timer (the driver's default), to
        // show what each costs.
        Properties timerProps = new Properties();
        timerProps.putAll(props);
        timerProps.put("loginTimeout", "60");
        timerProps.put("networkTimeout", "60000");
        timerProps.put("queryTimeout", "60");
        Properties serviceProps = new Properties();
        serviceProps.putAll(timerProps);
        serviceProps.put("IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT", "true");
        Runnable bareWithServiceSettings = timed(driver, url, serviceProps, user);
        Runnable bareWithTimer = timed(driver, url, timerProps, user);
        // The same bare login handed to a virtual thread and waited for, as the service's gateway runs
        // it (a virtual thread can be interrupted out of a blocked socket read, which is how the service
        // stops a login past its deadline): shows what that hand-off and the virtual thread's parking on
        // every socket read cost next to the bare series on this thread.
        ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
        Runnable bareOnVirtualThread = () -> {
            try {
                virtualThreads.submit(bare).get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        };
        Runnable get = () -> send("GET", cs + "/api/v1/connections/" + id, token, null, 200);
        // The per-request floor: one row read through a plain Quarkus REST + Hibernate app (bench/floor-app on
        // the stack's PostgreSQL, no security, audit or metrics), when the bench script started it.
        String floorUrl = System.getenv("FLOOR_URL");
        Runnable floorGet = null;
        if (floorUrl != null && !floorUrl.isEmpty()) {
            String item = send("POST", floorUrl + "/items", null, "{\"name\":\"bench\"}", 200);
            String itemUrl = floorUrl + "/items/" + item.replaceAll("(?s).*\"id\"\\s*:\\s*(\\d+).*", "$1");
            floorGet = () -> send("GET", itemUrl, null, null, 200);
        }
        // The same number of driver logins in both JVMs (four bare series here, one in the service).
        for (int i = 0; i < warmup; i++) {
            service.run();
            get.run();
            if (floorGet != null) {
                floorGet.run();
            }
            if (i % 4 == 0) {
                bare.run();
                bareOnVirtualThread.run();
                bareWithServiceSettings.run();
                bareWithTimer.run();
            }
        }
        List<Long> serviceNanos = new ArrayList<>();
        List<Long> getNanos = new ArrayList<>();
        List<Long> floorNanos = new ArrayList<>();
        List<Long> bareNanos = new ArrayList<>();
        List<Long> bareVirtualNanos = new ArrayList<>();
        List<Long> bareSettingsNanos = new ArrayList<>();
        List<Long> bareTimerNanos = new ArrayList<>();
        record[0] = true;
        for (int round = 0; round < Math.max(1, samples / 10); round++) {
            time(service, 10, serviceNanos);
            time(get, 10, getNanos);
            if (floorGet != null) {
                time(floorGet, 10, floorNanos);
            }
            time(bare, 10, bareNanos);
            time(bareOnVirtualThread, 10, bareVirtualNanos);
            time(bareWithServiceSettings, 10, bareSettingsNanos);
            time(bareWithTimer, 10, bareTimerNanos);
        }
        System.out.printf("warm-up: %d service tests and GETs, %d calls of each bare series (as many driver logins in each JVM)%n",
                warmup, (warmup + 3) / 4);
        System.out.printf("connection test through connection-service: %s%n", summary(serviceNanos));
        System.out.printf("bare JDBC login + SELECT (floor):           %s%n", summary(bareNanos));
        System.out.printf("  bare on a virtual thread (as the service runs it): %s%n", summary(bareVirtualNanos));
        System.out.printf("  bare with the service's timeout settings:  %s%n", summary(bareSettingsNanos));
        System.out.printf("  bare with timeouts on the driver's client-side timer: %s%n", summary(bareTimerNanos));
        System.out.printf("  bare until the result (without the close's logout request): %s%n", summary(bareResultNanos));
        System.out.printf("  login + SELECT inside the service (its latencyMillis, ms resolution): %s%n", summary(insideNanos));
        System.out.printf("  plain authorised GET of the connection (no login):  %s%n", summary(getNanos));
        if (!floorNanos.isEmpty()) {
            System.out.printf("  floor app: plain Quarkus GET of one row (no security): %s%n", summary(floorNanos));
        }
        System.out.printf("ratio of medians (service / bare): %.2f%n",
                (double) percentile(serviceNanos, 50) / percentile(bareNanos, 50));
        // Where the cores go, 300 calls of each series back to back: the bare login's work is this JVM's
        // and the emulator's; a service test adds the service, PostgreSQL and the HTTP call.
        StackCpu.perCall("connection test through connection-service", 300, service);
        StackCpu.perCall("bare JDBC login + SELECT", 300, bare);
        StackCpu.perCall("plain authorised GET of the connection", 300, get);
        if (floorGet != null) {
            StackCpu.perCall("floor app GET of one row", 300, floorGet);
        }
    }

    /** A bare login + SELECT with {@code properties}, statement timeout set as the service sets it. */
    static Runnable timed(Driver driver, String url, Properties properties, String user) {
        return () -> {
            try (Connection c = driver.connect(url, properties); Statement s = c.createStatement()) {
                s.setQueryTimeout(60);
                try (ResultSet rs = s.executeQuery("SELECT CURRENT_USER(), CURRENT_ROLE(), CURRENT_ACCOUNT(), CURRENT_WAREHOUSE(), CURRENT_DATABASE(), CURRENT_SCHEMA()")) {
                    if (!rs.next() || !user.equals(rs.getString(1))) {
                        throw new IllegalStateException("the bare login returned another user");
                    }
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    static void time(Runnable call, int count, List<Long> into) {
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            call.run();
            into.add(System.nanoTime() - t);
        }
    }

    static String summary(List<Long> nanos) {
        return String.format("n=%d p50 %.1f ms, p90 %.1f ms, p99 %.1f ms", nanos.size(), percentile(nanos, 50) / 1e6,
                percentile(nanos, 90) / 1e6, percentile(nanos, 99) / 1e6);
    }

    static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static String send(String method, String url, String token, String body, int... expected) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(5_000);
            c.setReadTimeout(60_000);
            c.setRequestMethod(method);
            if (token != null) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            if (body != null) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                c.setRequestProperty("Content-Type", "application/json");
                // Not setFixedLengthStreamingMode: that writes the headers and the body separately, and
                // the second write waited for the first's ACK (Nagle; HttpURLConnection cannot set
                // TCP_NODELAY): measured 1.4 ms more from the client's send to the service's first route
                // handler (p50 1.68 vs 0.37 ms buffered, 0.20 ms from a raw socket), which the bare
                // series, whose driver writes each request at once, do not pay. Buffered, the request
                // goes out in one write.
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = c.getResponseCode();
            // Read to the end (and close) so the connection goes back to the keep-alive cache.
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (in != null) {
                in.close();
            }
            for (int expectedStatus : expected) {
                if (status == expectedStatus) {
                    return answer;
                }
            }
            throw new IllegalStateException(method + " " + url + " -> " + status + ": " + answer);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"");
        if (at < 0) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        int start = at + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static String json(String text) {
        return text.replace("\n", "\\n");
    }
}
