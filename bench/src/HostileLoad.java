import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GET list latency of each service with and without hostile load, in one run (JDK only):
 *
 * <ul>
 * <li>baseline: {@code SAMPLES} sequential {@code GET} list requests per service;
 * <li>loaded: the same, while 8 uploads of a key encrypted with 1,000,000 PBKDF2 iterations (the
 * ceiling) are kept in flight against certificate-service and 50 connection tests are kept in flight
 * against a "Snowflake" that accepts TCP connections and never answers (a socket of this harness),
 * all by one caller: its per-caller shares answer part of them 429 (counted in the answers), which is
 * the defence at work, not a failure of the run.
 * </ul>
 *
 * Prints a table (p50/p99 per service and phase, the p99 ratio) and how the load requests ended.
 * Args: certUrl connUrl rotUrl token certPem encryptedKeyPem passphrase plainKeyPem [samples] [testTimeoutSecs]
 */
public class HostileLoad {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    public static void main(String[] args) throws Exception {
        String cert = args[0], conn = args[1], rot = args[2], token = args[3];
        String certPem = Files.readString(Path.of(args[4]));
        String encryptedKey = Files.readString(Path.of(args[5]));
        String passphrase = args[6];
        String plainKey = Files.readString(Path.of(args[7]));
        int samples = args.length > 8 ? Integer.parseInt(args[8]) : 300;
        int testTimeout = args.length > 9 ? Integer.parseInt(args[9]) : 20;

        // A "Snowflake" that accepts connections and never answers.
        ServerSocket silent = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        List<Socket> held = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
        String silentHost = "http://127.0.0.1:" + silent.getLocalPort();

        // Something to list: 20 certificates (plain key: no KDF cost at set-up), 50 connections to the
        // silent endpoint (created with a 1 s timeout in parallel, then given the test timeout).
        for (int i = 0; i < 20; i++) {
            post(cert + "/api/v1/certificates", token, certificateBody("hl-list-" + i + "-" + uuid(), certPem, plainKey, null));
        }
        // One after the other, each retried while refused for load: one caller's parallel creates meet its
        // share of the key pool (429), and a connection missing here would silently drop from the load.
        List<String> connections = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String name = "hl-silent-" + i + "-" + uuid();
            HttpResponse<String> created = untilAccepted(() -> post(conn + "/api/v1/connections", token,
                    connectionBody(name, silentHost, plainKey, 1)), 201, "create connection " + name);
            String id = created.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
            String etag = created.headers().firstValue("ETag").orElseThrow();
            untilAccepted(() -> send(HttpRequest.newBuilder(URI.create(conn + "/api/v1/connections/" + id))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("If-Match", etag)
                    .PUT(HttpRequest.BodyPublishers.ofString(connectionBody(name, silentHost, null, testTimeout)))),
                    200, "replace connection " + name);
            connections.add(id);
        }

        Map<String, String> lists = new java.util.LinkedHashMap<>();
        lists.put("certificate-service", cert + "/api/v1/certificates?size=20");
        lists.put("connection-service", conn + "/api/v1/connections?size=20");
        lists.put("rotation-service", rot + "/api/v1/rotation-policies");

        for (String url : lists.values()) { // warm-up, not counted
            for (int i = 0; i < 50; i++) {
                get(url, token);
            }
        }
        Map<String, long[]> base = new java.util.LinkedHashMap<>();
        for (var e : lists.entrySet()) {
            base.put(e.getKey(), measure(e.getValue(), token, samples));
        }

        // The hostile load, kept in flight while the lists are measured again.
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> uploadAnswers = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> testAnswers = new ConcurrentHashMap<>();
        ExecutorService load = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < 8; i++) {
            load.submit(() -> {
                while (running.get()) {
                    int status = post(cert + "/api/v1/certificates", token,
                            certificateBody("hl-kdf-" + uuid(), certPem, encryptedKey, passphrase)).statusCode();
                    uploadAnswers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    if (status == 503 || status == 429) {
                        Thread.sleep(200); // a client honouring Retry-After would wait longer
                    }
                }
                return null;
            });
        }
        for (String id : connections) {
            load.submit(() -> {
                while (running.get()) {
                    int status = post(conn + "/api/v1/connections/" + id + "/test", token, "").statusCode();
                    testAnswers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    if (status == 503 || status == 429) {
                        Thread.sleep(200);
                    }
                }
                return null;
            });
        }
        Thread.sleep(3000); // let the pools fill
        Map<String, long[]> loaded = new java.util.LinkedHashMap<>();
        for (var e : lists.entrySet()) {
            loaded.put(e.getKey(), measure(e.getValue(), token, samples));
        }
        String readiness = "";
        running.set(false);
        load.shutdown();
        load.awaitTermination(testTimeout + 30, java.util.concurrent.TimeUnit.SECONDS);
        silent.close();
        for (Socket s : held) {
            s.close();
        }

        System.out.printf("%n%-20s | %9s | %9s | %9s | %9s | %s%n", "GET list (" + samples + " each)", "base p50",
                "base p99", "load p50", "load p99", "p99 ratio");
        System.out.println("-".repeat(20) + "-+-" + "-".repeat(9) + "-+-" + "-".repeat(9) + "-+-" + "-".repeat(9) + "-+-"
                + "-".repeat(9) + "-+-" + "-".repeat(9));
        for (String service : lists.keySet()) {
            long[] b = base.get(service);
            long[] l = loaded.get(service);
            System.out.printf("%-20s | %6.1f ms | %6.1f ms | %6.1f ms | %6.1f ms | %.2fx%n", service, ms(pct(b, 50)),
                    ms(pct(b, 99)), ms(pct(l, 50)), ms(pct(l, 99)), (double) pct(l, 99) / pct(b, 99));
        }
        System.out.println("load: 8 uploads (1,000,000 PBKDF2 iterations) and " + connections.size()
                + " connection tests (silent endpoint, timeoutSecs " + testTimeout + ") kept in flight" + readiness);
        System.out.println("upload answers during the run: " + uploadAnswers);
        System.out.println("connection test answers during the run: " + testAnswers);
        System.exit(0);
    }

    static long[] measure(String url, String token, int samples) throws Exception {
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = get(url, token);
            nanos[i] = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + ": " + r.statusCode());
            }
        }
        java.util.Arrays.sort(nanos);
        return nanos;
    }

    static long pct(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static String uuid() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "") + "\"";
    }

    static String certificateBody(String name, String certPem, String keyPem, String passphrase) {
        return "{\"name\":" + json(name) + ",\"authorizedDomains\":[\"api.example.com\"],\"clientCertificate\":"
                + json(certPem) + ",\"clientKey\":" + json(keyPem)
                + (passphrase == null ? "" : ",\"passphrase\":" + json(passphrase)) + "}";
    }

    static String connectionBody(String name, String host, String keyPem, int timeoutSecs) {
        return "{\"name\":" + json(name) + ",\"timeoutSecs\":" + timeoutSecs
                + ",\"details\":{\"type\":\"snowflake\",\"account\":\"DEMO\",\"host\":" + json(host)
                + ",\"user\":\"SVC_SILENT\",\"role\":\"LOADER\",\"warehouse\":\"DEMO_WH\",\"authType\":\"key-pair\""
                + (keyPem == null ? "" : ",\"privateKey\":" + json(keyPem)) + "}}";
    }

    static HttpResponse<String> get(String url, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET());
    }

    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /** The first answer with {@code status}; waits out 429/503 (Retry-After); anything else fails the run. */
    static HttpResponse<String> untilAccepted(Call call, int status, String what) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            HttpResponse<String> r = call.send();
            if (r.statusCode() == status) {
                return r;
            }
            if (r.statusCode() != 429 && r.statusCode() != 503) {
                throw new IllegalStateException(what + ": " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(1000L * Math.max(1, r.headers().firstValueAsLong("Retry-After").orElse(1)));
        }
        throw new IllegalStateException(what + ": still refused after 50 attempts");
    }

    static HttpResponse<String> post(String url, String token, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
