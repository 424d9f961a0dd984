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
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load for POST /api/v1/certificates: each request uploads a DISTINCT certificate and key (the JDK
 * caches parsed certificates, so repeating one would flatter the numbers), with a fixed number of
 * concurrent clients. Prints latency percentiles and throughput. JDK only; run with
 * {@code java bench/src/CertificateCreateLoad.java <baseUrl> <token> <pemDir> <concurrency>}.
 */
public class CertificateCreateLoad {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        Path dir = Path.of(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        List<Path> certs;
        try (var s = Files.list(dir)) {
            certs = s.filter(p -> p.toString().endsWith(".crt")).sorted().toList();
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String run = Long.toString(System.currentTimeMillis(), 36);

        // Warm-up: the first requests pay for JIT and connection set-up.
        int warmup = Math.min(20, certs.size() / 5);
        for (int i = 0; i < warmup; i++) {
            post(http, base, token, body("warm-" + run + "-" + i, certs.get(i)));
        }

        List<Path> measured = certs.subList(warmup, certs.size());
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < measured.size()) {
                        try {
                            String json = body("load-" + run + "-" + i, measured.get(i));
                            long t0 = System.nanoTime();
                            int status = post(http, base, token, json);
                            nanos.add(System.nanoTime() - t0);
                            if (status != 201) {
                                failures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("requests=%d concurrency=%d failures=%d duration=%.2fs throughput=%.1f/s%n", sorted.size(),
                concurrency, failures.get(), seconds, sorted.size() / seconds);
        System.out.printf("latency_ms p50=%.1f p90=%.1f p99=%.1f max=%.1f%n", pct(sorted, 50), pct(sorted, 90),
                pct(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
    }

    static double pct(List<Long> sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(idx, sorted.size() - 1))) / 1e6;
    }

    static int post(HttpClient http, String base, String token, String json) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/certificates"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String body(String name, Path crt) throws Exception {
        String cert = Files.readString(crt);
        String key = Files.readString(Path.of(crt.toString().replace(".crt", ".key")));
        return "{\"name\":\"" + name + "\",\"authorizedDomains\":[\"api.example.com\"],\"clientCertificate\":\""
                + escape(cert) + "\",\"clientKey\":\"" + escape(key) + "\",\"passphrase\":\"bench-pass\"}";
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "");
    }
}
