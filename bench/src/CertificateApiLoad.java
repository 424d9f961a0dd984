import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Certificate create at concurrency 1 (distinct openssl-made certificates, encrypted PKCS#8 keys, one
 * request after the other) and list at a fixed arrival rate (open loop: latency counts from when the
 * request was due, so a slow answer delays nobody's clock). Aims (#11): create p50 <= 6 ms and
 * p99 <= 20 ms; list p99 <= 10 ms at 100 req/s. Both are measured with two clients: a blocking
 * {@link HttpURLConnection} (the answer read on the calling thread, as the connection and exchange
 * benches call the services) and the JDK's {@code HttpClient}, whose thread hand-offs are part of
 * what it measures; the difference between the two is the client's.
 *
 * <p>JDK only, multi-file source launch (uses {@link CertificateCreateLoad} and {@link ExchangeLoad}):
 * {@code java bench/src/CertificateApiLoad.java <serviceUrl> <jwtPrivateKeyPem> <pemDir> <listSeconds> <listRate>}.
 */
public class CertificateApiLoad {

    public static void main(String[] args) throws Exception {
        System.setProperty("http.maxConnections", "32"); // kept-alive HttpURLConnections per host (default 5)
        String base = args[0];
        String token = ExchangeLoad.mint(ExchangeLoad.privateKey(Path.of(args[1])));
        Path dir = Path.of(args[2]);
        int listSeconds = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        List<Path> certs;
        try (var s = Files.list(dir)) {
            certs = s.filter(p -> p.toString().endsWith(".crt")).sorted().toList();
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String run = Long.toString(System.currentTimeMillis(), 36);

        // Warm-up: the JIT needs thousands of requests before a path runs compiled (measured: a GET's p50
        // falls from 4 ms to 0.7 ms over the first ~3,000). Warm-up creates reuse the material under
        // throw-away names and are deleted again (which warms the delete path too); only distinct,
        // never-seen certificates are measured, since the JDK caches parsed certificates.
        int warmup = Integer.getInteger("warmup", 1500);
        List<String> warmIds = new ArrayList<>();
        for (int i = 0; i < warmup; i++) {
            String json = CertificateCreateLoad.body("warm-" + run + "-" + i, certs.get(i % certs.size()));
            String created = i % 2 == 0 ? create(http, base, token, json) : blockingCreate(base, token, json);
            if (created != null) {
                warmIds.add(created);
            }
        }
        for (String id : warmIds) {
            http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/certificates/" + id))
                    .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }
        // Creates alternate between the two clients in blocks of ten (see the list series below for why
        // both): each figure has half of the distinct certificates.
        List<Long> jdkCreates = new ArrayList<>();
        List<Long> blockingCreates = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < certs.size(); i++) {
            String json = CertificateCreateLoad.body("api-" + run + "-" + i, certs.get(i));
            boolean jdk = (i / 10) % 2 == 1;
            long t0 = System.nanoTime();
            boolean ok = jdk ? CertificateCreateLoad.post(http, base, token, json) == 201
                    : blockingCreate(base, token, json) != null;
            long took = System.nanoTime() - t0;
            if (!ok) {
                failures++;
            } else {
                (jdk ? jdkCreates : blockingCreates).add(took);
            }
        }
        for (List<Long> creates : List.of(blockingCreates, jdkCreates)) {
            Collections.sort(creates);
            System.out.printf("create, concurrency 1, %s: n=%d (after %d warm-up creates, deleted again; failures in both: %d)"
                            + "  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms   (aim p50 <= 6, p99 <= 20)%n",
                    creates == jdkCreates ? "JDK HttpClient            " : "blocking HttpURLConnection", creates.size(),
                    warmup, failures, CertificateCreateLoad.pct(creates, 50), CertificateCreateLoad.pct(creates, 90),
                    CertificateCreateLoad.pct(creates, 99), creates.get(creates.size() - 1) / 1e6);
        }

        // The list series run twice, once per client: the JDK's HttpClient hands every request and
        // answer between its selector thread and an executor (each hand-off a thread wake-up, which a
        // busy 2-core machine delays), a blocking HttpURLConnection reads the answer on the calling
        // thread. The gap between the two is the client's, not the service's.
        ListCall jdkClient = () -> http.send(HttpRequest.newBuilder(URI.create(base + LIST))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        ListCall urlConnection = () -> blockingGet(base + LIST, token);
        for (int i = 0; i < Integer.getInteger("warmup", 1500) * 2; i++) {
            jdkClient.call();
            urlConnection.call();
        }
        openLoop("list, blocking HttpURLConnection", urlConnection, listSeconds, rate, certs.size());
        openLoop("list, JDK HttpClient            ", jdkClient, listSeconds, rate, certs.size());
    }

    private static final String LIST = "/api/v1/certificates?page=0&size=20";

    /** One list request; its HTTP status. */
    @FunctionalInterface
    interface ListCall {
        int call() throws Exception;
    }

    /** {@code rate} calls a second for {@code seconds}, each on its own virtual thread, timed from when it was due. */
    private static void openLoop(String label, ListCall call, int seconds, int rate, int rows) throws Exception {
        List<Long> lists = Collections.synchronizedList(new ArrayList<>());
        List<Long> served = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger listFailures = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        long interval = 1_000_000_000L / rate;
        int total = seconds * rate;
        long start = System.nanoTime();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                callers.submit(() -> {
                    try {
                        int status = call.call();
                        long took = System.nanoTime() - due;
                        lists.add(took);
                        if (status == 200) {
                            served.add(took);
                        } else if (status == 503) {
                            refused.incrementAndGet(); // shed by listing.max-in-flight: an answer, not a failure
                        } else {
                            listFailures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        if (listFailures.incrementAndGet() == 1) {
                            System.out.println("first list failure: " + e);
                        }
                    }
                });
            }
        }
        double took = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(lists);
        Collections.sort(sorted);
        List<Long> sortedServed = new ArrayList<>(served);
        Collections.sort(sortedServed);
        System.out.printf("%s (page of 20 of %d+ rows) at %d req/s for %.1f s: n=%d (200: %d, 503 refused: %d)"
                        + " failures=%d%n", label, rows, rate, took, sorted.size(), sortedServed.size(), refused.get(),
                listFailures.get());
        System.out.printf("  every answer: p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms   (aim p99 <= 10)%n",
                CertificateCreateLoad.pct(sorted, 50), CertificateCreateLoad.pct(sorted, 90),
                CertificateCreateLoad.pct(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
        if (!sortedServed.isEmpty()) {
            System.out.printf("  200 only:     p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                    CertificateCreateLoad.pct(sortedServed, 50), CertificateCreateLoad.pct(sortedServed, 90),
                    CertificateCreateLoad.pct(sortedServed, 99), sortedServed.get(sortedServed.size() - 1) / 1e6);
        }
    }

    /** A GET over the JDK's kept-alive HttpURLConnection, the answer read on this thread; its status. */
    private static int blockingGet(String url, String token) throws Exception {
        HttpURLConnection c = open(url, token);
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (in != null) {
                in.transferTo(OutputStream.nullOutputStream()); // read to the end so the connection is kept alive
            }
        }
        return status;
    }

    private static final java.util.concurrent.atomic.AtomicInteger REFUSALS_SHOWN = new java.util.concurrent.atomic.AtomicInteger();

    /** A create over a kept-alive HttpURLConnection: the new certificate's id, or null when it was refused. */
    static String blockingCreate(String base, String token, String json) throws Exception {
        HttpURLConnection c = open(base + "/api/v1/certificates", token);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/json");
        c.setDoOutput(true);
        // Buffered, not setFixedLengthStreamingMode: streamed, the body's write waited for the ACK of the
        // headers' (Nagle), ~1.4 ms of this client's own per POST (ConnectionTestLoad.send says more).
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (status != 201) {
                // A failure is counted by the caller; what it was is worth seeing (the first few, with the problem).
                if (REFUSALS_SHOWN.getAndIncrement() < 10) System.err.println("create refused: " + status + " " + answer.substring(0, Math.min(300, answer.length())));
                return null;
            }
            return answer.replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        }
    }

    private static HttpURLConnection open(String url, String token) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestProperty("Authorization", "Bearer " + token);
        c.setConnectTimeout(5_000);
        c.setReadTimeout(30_000);
        return c;
    }

    /** The new certificate's id, or null when the upload was refused. */
    private static String create(HttpClient http, String base, String token, String json) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/certificates"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        return created.statusCode() == 201 ? created.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1") : null;
    }
}
