import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Certificate create at concurrency 1 on two builds of certificate-service at once (A and B, on one
 * PostgreSQL and one vault-emulator), their requests interleaved one by one from a single client: on a
 * shared, busy machine both builds then see the same load, which back-to-back runs minutes apart do
 * not. Each distinct certificate is created once on each (two JVMs, so neither has it cached); which
 * build goes first alternates. Run by bench/certificate-create-ab.sh.
 *
 * <p>{@code java bench/src/CertificateCreateAb.java <urlA> <urlB> <jwtPrivateKeyPem> <pemDir>}
 */
public class CertificateCreateAb {

    public static void main(String[] args) throws Exception {
        System.setProperty("http.maxConnections", "32");
        String[] bases = { args[0], args[1] };
        String token = ExchangeLoad.mint(ExchangeLoad.privateKey(Path.of(args[2])));
        List<Path> certs;
        try (var s = Files.list(Path.of(args[3]))) {
            certs = s.filter(p -> p.toString().endsWith(".crt")).sorted().toList();
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        HttpClient http = HttpClient.newHttpClient();

        // Warm-up as in CertificateApiLoad (the JIT needs thousands of requests), on both, then deleted.
        int warmup = Integer.getInteger("warmup", 1500);
        List<List<String>> warmIds = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < warmup; i++) {
            for (int k = 0; k < 2; k++) {
                String id = CertificateApiLoad.blockingCreate(bases[k],
                        token, CertificateCreateLoad.body("warm-" + run + "-" + k + "-" + i, certs.get(i % certs.size())));
                if (id != null) {
                    warmIds.get(k).add(id);
                }
            }
        }
        for (int k = 0; k < 2; k++) {
            for (String id : warmIds.get(k)) {
                http.send(HttpRequest.newBuilder(URI.create(bases[k] + "/api/v1/certificates/" + id))
                        .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
        }

        List<List<Long>> took = List.of(new ArrayList<>(), new ArrayList<>());
        int[] failures = new int[2];
        for (int i = 0; i < certs.size(); i++) {
            for (int n = 0; n < 2; n++) {
                int k = (n + i) % 2;
                String json = CertificateCreateLoad.body("ab-" + run + "-" + k + "-" + i, certs.get(i));
                long t0 = System.nanoTime();
                String id = CertificateApiLoad.blockingCreate(bases[k], token, json);
                long t = System.nanoTime() - t0;
                if (id == null) {
                    failures[k]++;
                } else {
                    took.get(k).add(t);
                }
            }
        }
        for (int k = 0; k < 2; k++) {
            List<Long> t = took.get(k);
            Collections.sort(t);
            System.out.printf("create, concurrency 1, interleaved, %s: n=%d failures=%d  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                    k == 0 ? "A" : "B", t.size(), failures[k], CertificateCreateLoad.pct(t, 50),
                    CertificateCreateLoad.pct(t, 90), CertificateCreateLoad.pct(t, 99), t.get(t.size() - 1) / 1e6);
        }
    }
}
