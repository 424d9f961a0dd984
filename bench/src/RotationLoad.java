import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rotation load on the local stack (JDK only; run with {@code java bench/src/RotationLoad.java}).
 *
 * <pre>
 * java bench/src/RotationLoad.java SNOWFLAKE_EMULATOR_URL CONNECTION_SERVICE_URL ROTATION_SERVICE_URL \
 *      ADMIN_TOKEN KEY_ADMIN_CONNECTION_ID [account=DEMO] [connections=100] [singles=10]
 * </pre>
 *
 * Seeds {@code connections} service users into the emulator (POST /__admin/seed), creates one
 * key-pair connection each through connection-service (RSA-2048 made here, PKCS#8 PEM), registers
 * the key in slot 1 (PUT key-slots/1) and gives each a policy with gracePeriod PT0S (no DRAIN wait).
 * Then (a) {@code singles} rotations one after the other (POST, poll until DONE): median, min, max;
 * (b) one rotation of every connection requested at once: time until all are DONE, bounded by
 * rotation-service's worker concurrency; (c) the same again on the warmed JVM; (d) every policy given
 * the same cron firing a minute or two ahead, so all fall due at one instant: time from that instant
 * until all the scheduled runs are DONE. Exits 1 unless every run ended DONE.
 *
 * <p>{@code BENCH_THREADS=connection-service,rotation-service} adds their CPU per rotation by thread group
 * to each batch (see {@code StackCpu}).
 *
 * <p>With {@code ROTATION_SERVICE_MANAGEMENT_URL} set (rotation-service's management port), each
 * batch also prints the key reserve as rotation-service's /q/metrics shows it: how many keys were
 * ready when the batch was requested (not waited for: what was there after the preceding work),
 * and how many runs took a ready key or generated theirs on demand.
 */
public class RotationLoad {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String token;

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: RotationLoad SNOWFLAKE_URL CONNECTION_URL ROTATION_URL TOKEN ADMIN_CONNECTION_ID"
                    + " [account] [connections] [singles]");
            System.exit(2);
        }
        String snowflake = args[0];
        String cs = args[1];
        String rs = args[2];
        token = args[3];
        String adminConnection = args[4];
        String account = args.length > 5 ? args[5] : "DEMO";
        int count = args.length > 6 ? Integer.parseInt(args[6]) : 100;
        int singles = args.length > 7 ? Integer.parseInt(args[7]) : 10;
        String tag = UUID.randomUUID().toString().substring(0, 6).toUpperCase();

        // --- set-up -------------------------------------------------------------------------
        long t0 = System.nanoTime();
        StringBuilder seed = new StringBuilder("{\"accounts\":[{\"name\":\"" + account + "\",\"users\":[");
        for (int i = 0; i < count; i++) {
            seed.append(i == 0 ? "" : ",").append("{\"name\":\"").append(user(tag, i))
                    .append("\",\"defaultRole\":\"LOADER\",\"roles\":[\"LOADER\"],\"defaultWarehouse\":\"DEMO_WH\",\"type\":\"SERVICE\"}");
        }
        seed.append("]}]}");
        expect(send("POST", snowflake + "/__admin/seed", seed.toString(), false), 200, 204, "seed users");

        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        List<String> ids = new ArrayList<>();
        Map<String, String> policies = new ConcurrentHashMap<>(); // connection id -> policy id
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    KeyPair kp;
                    synchronized (gen) {
                        kp = gen.generateKeyPair();
                    }
                    String body = "{\"name\":\"bench-rotation-" + tag + "-" + n + "\",\"description\":\"bench\","
                            + "\"timeoutSecs\":30,\"details\":{\"type\":\"snowflake\",\"account\":\"" + account + "\","
                            + "\"host\":\"" + snowflake + "\",\"user\":\"" + user(tag, n) + "\",\"role\":\"LOADER\","
                            + "\"warehouse\":\"DEMO_WH\",\"authType\":\"key-pair\",\"privateKey\":\""
                            + json(pem("PRIVATE KEY", kp.getPrivate().getEncoded())) + "\",\"keyAdminConnectionId\":\""
                            + adminConnection + "\"}}";
                    HttpResponse<String> r = send("POST", cs + "/api/v1/connections", body, true);
                    expect(r, 201, 201, "create connection " + n);
                    String id = field(r.body(), "id");
                    expect(send("PUT", cs + "/api/v1/connections/" + id + "/key-slots/1",
                            "{\"publicKey\":\"" + json(pem("PUBLIC KEY", kp.getPublic().getEncoded())) + "\"}", true),
                            200, 204, "register slot 1 of " + id);
                    HttpResponse<String> policy = send("POST", rs + "/api/v1/rotation-policies",
                            "{\"connectionId\":\"" + id + "\",\"schedule\":\"P90D\",\"gracePeriod\":\"PT0S\"}", true);
                    expect(policy, 201, 201, "policy of " + id);
                    policies.put(id, field(policy.body(), "id"));
                    return id;
                }));
            }
            for (Future<String> f : futures) {
                ids.add(f.get());
            }
        }
        System.out.printf("set-up: %d users seeded, %d connections created, slot 1 registered, policies gracePeriod=PT0S (%.1f s)%n",
                count, ids.size(), (System.nanoTime() - t0) / 1e9);

        // --- (a) single rotations, one after the other ------------------------------------------
        List<Double> client = new ArrayList<>();
        List<Long> server = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < singles; i++) {
            long s = System.nanoTime();
            String runId = start(rs, ids.get(i));
            String run;
            while (true) {
                run = send("GET", rs + "/api/v1/rotations/" + runId, null, true).body();
                String state = field(run, "state");
                if (state.equals("DONE") || state.equals("ROLLED_BACK") || state.equals("NEEDS_ATTENTION")) {
                    if (!state.equals("DONE")) {
                        failed++;
                        System.out.println("run " + runId + " ended " + state + ": " + run);
                    }
                    break;
                }
                Thread.sleep(20);
            }
            client.add((System.nanoTime() - s) / 1e6);
            String d = field(run, "durationMillis");
            if (d != null) {
                server.add(Long.parseLong(d));
            }
        }
        List<Double> sorted = new ArrayList<>(client);
        sorted.sort(null);
        List<Long> serverSorted = new ArrayList<>(server);
        serverSorted.sort(null);
        System.out.printf("(a) %d sequential rotations: median %.0f ms (min %.0f, max %.0f) from POST until DONE seen;"
                + " server-side durationMillis median %d ms%n", singles, median(sorted), sorted.getFirst(),
                sorted.getLast(), serverSorted.isEmpty() ? -1 : serverSorted.get(serverSorted.size() / 2));

        System.out.println(reserveInEffect());

        // --- (b) every connection at once, twice: the first batch meets a JVM that has run only the
        // set-up and the singles (JIT still compiling); the second, on the same connections (each now
        // rotates back into the other slot), shows the steady state a long-running replica is in.
        // ROTATION_BATCHES picks which of them run, in order (default all: "bcd"); "d" alone shows the
        // scheduled burst on a JVM that has run only the set-up and the singles.
        String batches = System.getenv().getOrDefault("ROTATION_BATCHES", "bcd");
        int rotations = singles;
        for (char b : batches.toCharArray()) {
            failed += switch (b) {
                case 'b' -> batch("(b) first batch", rs, ids);
                case 'c' -> batch("(c) second batch, same connections (JVM warmed by the first)", rs, ids);
                case 'd' -> dueAtOnce("(d) due at once", rs, ids, policies);
                default -> throw new IllegalArgumentException("ROTATION_BATCHES: unknown batch '" + b + "' (b, c, d)");
            };
            rotations += ids.size();
        }
        if (failed > 0) {
            System.out.println("RESULT: FAILED - " + failed + " run(s) did not end DONE");
            System.exit(1);
        }
        System.out.println("RESULT: all " + rotations + " rotations succeeded (DONE)");
    }

    /**
     * "100 rotations due at once" as a schedule makes them: every connection's policy is given the same
     * daily cron firing at a whole minute at least {@code DUE_LEAD_SECONDS} (default 60) ahead, so all
     * fall due at one instant, as when every policy fires at 02:00. Measured from that instant until
     * all the scheduled runs it made are DONE; rotation-service has the lead time to see them coming
     * (its key reserve is sized to the policies due within its look-ahead).
     */
    private static int dueAtOnce(String label, String rs, List<String> ids, Map<String, String> policies)
            throws Exception {
        long lead = Long.parseLong(System.getenv().getOrDefault("DUE_LEAD_SECONDS", "60"));
        Instant due = Instant.now().plusSeconds(lead).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        ZonedDateTime at = due.atZone(ZoneOffset.UTC);
        String cron = "0 " + at.getMinute() + " " + at.getHour() + " * * ?";
        for (String id : ids) {
            String url = rs + "/api/v1/rotation-policies/" + policies.get(id);
            HttpResponse<String> current = send("GET", url, null, true);
            expect(current, 200, 200, "policy of " + id);
            HttpRequest put = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"connectionId\":\"" + id + "\",\"schedule\":\"" + cron
                            + "\",\"gracePeriod\":\"PT0S\"}"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .header("If-Match", current.headers().firstValue("ETag").orElseThrow()).build();
            HttpResponse<String> r = HTTP.send(put, HttpResponse.BodyHandlers.ofString());
            expect(r, 200, 200, "cron policy of " + id);
            if (!due.toString().equals(field(r.body(), "nextDueAt"))) {
                throw new IllegalStateException("policy of " + id + " is due at " + field(r.body(), "nextDueAt")
                        + ", not " + due);
            }
        }
        System.out.printf("%s: %d policies set to \"%s\" (UTC), all due at %s, %.0f s from now%n", label, ids.size(),
                cron, due, Duration.between(Instant.now(), due).toMillis() / 1e3);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), due).toMillis() - 500));
        Before before = Before.now();
        while (Instant.now().isBefore(due)) {
            Thread.sleep(5);
        }
        long b0 = System.nanoTime();
        Set<String> connections = new HashSet<>(ids);
        Pattern run = Pattern.compile("\"id\":\"([0-9a-f-]{36})\",\"connectionId\":\"([0-9a-f-]{36})\"[^{}]*?"
                + "\"state\":\"([A-Z_]+)\",\"trigger\":\"([a-z]+)\"");
        Ended ended = awaitEnded(ids.size(), b0, () -> {
            Matcher m = run.matcher(send("GET", rs + "/api/v1/rotations?size=500&since=" + due.minusSeconds(1), null, true)
                    .body());
            Map<String, String> states = new HashMap<>();
            while (m.find()) {
                if (connections.contains(m.group(2)) && m.group(4).equals("schedule")) {
                    states.put(m.group(1), m.group(3));
                }
            }
            return states;
        });
        double all = ended.seconds();
        before.printCpu(label, ids.size(), all);
        long done = ended.states().values().stream().filter("DONE"::equals).count();
        System.out.printf("%s: %d scheduled rotations due at one instant: all ended %.1f s after it, %d DONE, %.2f"
                + " rotations/s, at most %d past PLAN at once in the samples%n", label, ids.size(), all, done,
                ids.size() / all, ended.maxRunning());
        Map<String, Double> reserveBefore = before.reserve();
        Map<String, Double> reserveAfter = reserveMetrics();
        if (!reserveBefore.isEmpty() && !reserveAfter.isEmpty()) {
            System.out.printf("%s: key reserve %.0f keys ready at the due time (size %.0f); %.0f runs took a ready key,"
                    + " %.0f generated theirs on demand%n", label, reserveBefore.get("ready"), reserveBefore.get("capacity"),
                    reserveAfter.get("taken_total") - reserveBefore.get("taken_total"),
                    reserveAfter.get("missed_total") - reserveBefore.get("missed_total"));
        }
        return (int) (ids.size() - done);
    }

    /** Starts a rotation of every connection at once, waits until all ended; the number that did not end DONE. */
    private static int batch(String label, String rs, List<String> ids) throws Exception {
        Before before = Before.now();
        long b0 = System.nanoTime();
        Set<String> runIds = new HashSet<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>();
            for (String id : ids) {
                futures.add(pool.submit(() -> start(rs, id)));
            }
            for (Future<String> f : futures) {
                runIds.add(f.get());
            }
        }
        double requested = (System.nanoTime() - b0) / 1e9;
        Pattern run = Pattern.compile("\"id\":\"([0-9a-f-]{36})\",\"connectionId\"[^{}]*?\"state\":\"([A-Z_]+)\"");
        Ended ended = awaitEnded(runIds.size(), b0, () -> {
            Matcher m = run.matcher(send("GET", rs + "/api/v1/rotations?size=500", null, true).body());
            Map<String, String> states = new HashMap<>();
            while (m.find()) {
                if (runIds.contains(m.group(1))) {
                    states.put(m.group(1), m.group(2));
                }
            }
            return states;
        });
        double all = ended.seconds();
        before.printCpu(label, runIds.size(), all);
        long done = ended.states().values().stream().filter("DONE"::equals).count();
        System.out.printf("%s: %d rotations requested at once (POSTs took %.1f s): all ended after %.1f s, %d DONE,"
                + " %.2f rotations/s, at most %d past PLAN at once in the samples%n", label, runIds.size(), requested, all, done,
                runIds.size() / all, ended.maxRunning());
        Map<String, Double> reserveBefore = before.reserve();
        Map<String, Double> reserveAfter = reserveMetrics();
        if (!reserveBefore.isEmpty() && !reserveAfter.isEmpty()) {
            System.out.printf("%s: key reserve %.0f of %.0f keys ready when the batch was requested; %.0f runs took a"
                    + " ready key, %.0f generated theirs on demand (reserve empty)%n", label,
                    reserveBefore.get("ready"), reserveBefore.get("capacity"),
                    reserveAfter.get("taken_total") - reserveBefore.get("taken_total"),
                    reserveAfter.get("missed_total") - reserveBefore.get("missed_total"));
        }
        return (int) (runIds.size() - done);
    }

    /** What a batch is measured against: the key reserve, the stack's CPU and its threads just before it. */
    private record Before(Map<String, Double> reserve, Map<String, Double> cpu, Map<String, Map<String, Long>> threads) {

        static Before now() throws Exception {
            return new Before(reserveMetrics(), StackCpu.cpuSeconds(), StackCpu.threadTicks());
        }

        /** The CPU the stack used since, per process and (BENCH_THREADS) per thread group, per rotation. */
        void printCpu(String label, int runs, double seconds) {
            RotationLoad.printCpu(label, cpu, StackCpu.cpuSeconds(), runs, seconds);
            StackCpu.printThreads(threads, StackCpu.threadTicks(), runs);
        }
    }

    /** A batch's runs once all ended: their last states, the most seen past PLAN at once, seconds since start. */
    private record Ended(Map<String, String> states, int maxRunning, double seconds) {
    }

    /** The runs of a batch as one look at the listing shows them: run id to state. */
    @FunctionalInterface
    private interface Listing {
        Map<String, String> states() throws Exception;
    }

    private static final Set<String> TERMINAL = Set.of("DONE", "ROLLED_BACK", "NEEDS_ATTENTION");

    /** Looks at {@code listing} every 100 ms until it shows {@code runs} runs, all ended (at most 30 min from {@code b0}). */
    private static Ended awaitEnded(int runs, long b0, Listing listing) throws Exception {
        int maxRunning = 0;
        while (true) {
            Map<String, String> states = listing.states();
            long terminal = states.values().stream().filter(TERMINAL::contains).count();
            long running = states.size() - terminal - states.values().stream().filter("PLAN"::equals).count();
            maxRunning = Math.max(maxRunning, (int) running);
            if (states.size() == runs && terminal == runs) {
                return new Ended(states, maxRunning, (System.nanoTime() - b0) / 1e9);
            }
            if ((System.nanoTime() - b0) / 1e9 > 1800) {
                throw new IllegalStateException("not all " + runs + " runs ended within 30 min: " + states.size()
                        + " seen, " + terminal + " ended");
            }
            Thread.sleep(100);
        }
    }

    /**
     * rotation-service's keyline_rotation_key_reserve_{ready,capacity,taken_total,missed_total} from
     * its /q/metrics; empty without ROTATION_SERVICE_MANAGEMENT_URL or when a series is missing.
     */
    static Map<String, Double> reserveMetrics() throws Exception {
        String mgmt = System.getenv("ROTATION_SERVICE_MANAGEMENT_URL");
        if (mgmt == null || mgmt.isBlank()) {
            return Map.of();
        }
        String scrape = send("GET", mgmt + "/q/metrics", null, false).body();
        Map<String, Double> values = new HashMap<>();
        for (String name : List.of("ready", "capacity", "taken_total", "missed_total")) {
            Matcher m = Pattern.compile("(?m)^keyline_rotation_key_reserve_" + name + " (\\S+)").matcher(scrape);
            if (!m.find()) {
                return Map.of();
            }
            values.put(name, Double.parseDouble(m.group(1)));
        }
        return values;
    }

    /** One line for the header: the reserve size in effect, as rotation-service reports it. */
    static String reserveInEffect() throws Exception {
        Map<String, Double> r = reserveMetrics();
        return r.isEmpty() ? "key reserve: unknown (no ROTATION_SERVICE_MANAGEMENT_URL or no metrics)"
                : String.format("key reserve: %.0f keys (rotation-service.work.key-reserve), %.0f ready now",
                        r.get("capacity"), r.get("ready"));
    }

    /** Where the cores went during a batch: CPU seconds per process, and per rotation. */
    static void printCpu(String label, Map<String, Double> before, Map<String, Double> after, int runs, double wallSeconds) {
        if (after.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            double used = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            total += used;
            line.append(String.format(" %s %.1f,", e.getKey(), used));
        }
        System.out.printf("%s, CPU seconds of the stack's processes:%s total %.1f = %.2f core-s per rotation"
                + " (%.0f%% of %d cores over %.1f s)%n", label, line, total, total / runs,
                100 * total / (wallSeconds * Runtime.getRuntime().availableProcessors()),
                Runtime.getRuntime().availableProcessors(), wallSeconds);
    }

    static String user(String tag, int i) {
        return "BENCH_" + tag + "_" + i;
    }

    static String start(String rs, String connectionId) throws Exception {
        HttpResponse<String> r = send("POST", rs + "/api/v1/connections/" + connectionId + "/rotations", "{}", true);
        expect(r, 202, 202, "start rotation of " + connectionId);
        return field(r.body(), "id");
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static HttpResponse<String> send(String method, String url, String body, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (auth) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void expect(HttpResponse<String> r, int ok1, int ok2, String what) {
        if (r.statusCode() != ok1 && r.statusCode() != ok2) {
            throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }
}
