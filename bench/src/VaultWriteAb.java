import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * One KV v2 check-and-set write of a certificate's size (certificate, key and CA PEM, ~4 KB of JSON),
 * as certificate-service sends one per create, against two vault-emulator builds at once (A and B),
 * interleaved request by request from one blocking, kept-alive client so both see the same machine
 * load. Measures the emulator's own answer time, which is part of every create's. Run by
 * bench/vault-emulator-ab.sh.
 *
 * <p>{@code java bench/src/VaultWriteAb.java <urlA> <tokenA> <urlB> <tokenB> [writes=2000]}
 * ({@code -Dwarmup=12000} writes each first: past the 10,000 requests the emulator keeps in its log)
 */
public class VaultWriteAb {

    public static void main(String[] args) throws Exception {
        System.setProperty("http.maxConnections", "8");
        String[] urls = { args[0], args[2] };
        String[] tokens = { args[1], args[3] };
        int writes = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
        int warmup = Integer.getInteger("warmup", 12_000);
        String pem = "-----BEGIN CERTIFICATE-----\\n" + "A".repeat(1600) + "\\n-----END CERTIFICATE-----\\n";
        String key = "-----BEGIN PRIVATE KEY-----\\n" + "B".repeat(1700) + "\\n-----END PRIVATE KEY-----\\n";
        byte[] body = ("{\"options\":{\"cas\":0},\"data\":{\"certificate\":\"" + pem + "\",\"private_key\":\"" + key
                + "\",\"ca_certificate\":\"" + pem + "\"}}").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < warmup; i++) {
            for (int k = 0; k < 2; k++) {
                write(urls[k], tokens[k], body);
            }
        }
        List<List<Long>> took = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < writes; i++) {
            for (int n = 0; n < 2; n++) {
                int k = (n + i) % 2;
                long t0 = System.nanoTime();
                write(urls[k], tokens[k], body);
                took.get(k).add(System.nanoTime() - t0);
            }
        }
        for (int k = 0; k < 2; k++) {
            List<Long> t = took.get(k);
            Collections.sort(t);
            System.out.printf("vault KV write, interleaved, %s: n=%d  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.1f ms%n",
                    k == 0 ? "A" : "B", t.size(), pct(t, 50), pct(t, 90), pct(t, 99), t.get(t.size() - 1) / 1e6);
        }
    }

    private static void write(String base, String token, byte[] body) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + "/v1/secret/data/bench/" + UUID.randomUUID())
                .toURL().openConnection();
        c.setRequestProperty("X-Vault-Token", token);
        c.setRequestProperty("Content-Type", "application/json");
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        // Buffered (one write), not streamed: see CertificateApiLoad.blockingCreate.
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
        if (status != 200) {
            throw new IllegalStateException("vault write answered " + status);
        }
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
    }
}
