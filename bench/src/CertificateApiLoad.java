import java.net.URI;
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
 * p99 <= 20 ms; list p99 <= 10 ms at 100 req/s.
 *
 * <p>JDK only, multi-file source launch (uses {@link CertificateCreateLoad} and {@link ExchangeLoad}):
 * {@code java bench/src/CertificateApiLoad.java <serviceUrl> <jwtPrivateKeyPem> <pemDir> <listSeconds> <listRate>}.
 */
public class CertificateApiLoad {

    public static void main(String[] args) throws Exception {
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
            String created = create(http, base, token, CertificateCreateLoad.body("warm-" + run + "-" + i,
                    certs.get(i % certs.size())));
            if (created != null) {
                warmIds.add(created);
            }
        }
        for (String id : warmIds) {
            http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/certificates/" + id))
                    .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }
        List<Long> creates = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < certs.size(); i++) {
            String json = CertificateCreateLoad.body("api-" + run + "-" + i, certs.get(i));
            long t0 = System.nanoTime();
            int status = CertificateCreateLoad.post(http, base, token, json);
            long took = System.nanoTime() - t0;
            if (status != 201) {
                failures++;
            } else {
                creates.add(took);
            }
        }
        Collections.sort(creates);
        System.out.printf("create, concurrency 1: n=%d (after %d warm-up creates, deleted again) failures=%d  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms"
                        + "  max %.1f ms   (aim p50 <= 6, p99 <= 20)%n", creates.size(), warmup, failures,
                CertificateCreateLoad.pct(creates, 50), CertificateCreateLoad.pct(creates, 90),
                CertificateCreateLoad.pct(creates, 99), creates.get(creates.size() - 1) / 1e6);

        HttpRequest list = HttpRequest.newBuilder(URI.create(base + "/api/v1/certificates?page=0&size=20"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
        for (int i = 0; i < Integer.getInteger("warmup", 1500) * 2; i++) {
            http.send(list, HttpResponse.BodyHandlers.discarding());
        }
        List<Long> lists = Collections.synchronizedList(new ArrayList<>());
        List<Long> served = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger listFailures = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        long interval = 1_000_000_000L / rate;
        int total = listSeconds * rate;
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
                        int status = http.send(list, HttpResponse.BodyHandlers.discarding()).statusCode();
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
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(lists);
        Collections.sort(sorted);
        List<Long> sortedServed = new ArrayList<>(served);
        Collections.sort(sortedServed);
        System.out.printf("list (page of 20 of %d+ rows) at %d req/s for %.1f s: n=%d (200: %d, 503 refused: %d)"
                        + " failures=%d%n", certs.size(), rate, seconds, sorted.size(), sortedServed.size(), refused.get(),
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

    /** The new certificate's id, or null when the upload was refused. */
    private static String create(HttpClient http, String base, String token, String json) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/certificates"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        return created.statusCode() == 201 ? created.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1") : null;
    }
}
