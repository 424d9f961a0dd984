import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Warm exchange latency through certificate-service next to what it costs without the service:
 * a bare JDK {@link HttpClient} presenting the SAME client certificate to the SAME local TLS server,
 * plus one loopback HTTP hop alone (a JDK client calling a trivial JDK HttpServer endpoint), which is
 * what any service in the path adds at the least. Aim (#11): service p50 <= 1.5 x bare p50 + hop p50.
 *
 * <p>The three are measured in alternating blocks of 20 within one run, so load from elsewhere on
 * the machine falls on all alike. JDK only:
 * {@code java bench/src/ExchangeLoad.java <serviceUrl> <jwtPrivateKeyPem> <pemDir> <samples>}, where
 * pemDir holds client.crt/client.key and server.crt/server.key (PKCS#8, openssl-made).
 */
public class ExchangeLoad {

    private static final int BLOCK = 20;

    public static void main(String[] args) throws Exception {
        String base = args[0];
        PrivateKey jwtKey = privateKey(Path.of(args[1]));
        Path pems = Path.of(args[2]);
        int samples = Integer.parseInt(args[3]);
        String token = "Bearer " + mint(jwtKey);

        Certificate clientCert = certificate(pems.resolve("client.crt"));
        PrivateKey clientKey = privateKey(pems.resolve("client.key"));
        Certificate serverCert = certificate(pems.resolve("server.crt"));
        PrivateKey serverKey = privateKey(pems.resolve("server.key"));

        // The TLS server both clients talk to: requires the client certificate, keeps connections alive.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpsServer tls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        SSLContext serverTls = context(serverKey, serverCert, clientCert);
        tls.setHttpsConfigurator(new HttpsConfigurator(serverTls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
        tls.createContext("/", http -> {
            http.getRequestBody().readAllBytes();
            http.getResponseHeaders().add("Content-Type", "application/json");
            http.sendResponseHeaders(200, answer.length);
            http.getResponseBody().write(answer);
            http.close();
        });
        tls.setExecutor(Executors.newFixedThreadPool(2));
        tls.start();
        int tlsPort = tls.getAddress().getPort();

        // One loopback HTTP hop alone: a trivial endpoint answering a JSON body of the exchange response's size.
        HttpServer hop = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        byte[] hopAnswer = ("{\"status\":200,\"headers\":[],\"body\":\"" + "x".repeat(300) + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
        hop.createContext("/", http -> {
            http.getRequestBody().readAllBytes();
            http.getResponseHeaders().add("Content-Type", "application/json");
            http.sendResponseHeaders(200, hopAnswer.length);
            http.getResponseBody().write(hopAnswer);
            http.close();
        });
        hop.setExecutor(Executors.newFixedThreadPool(2));
        hop.start();

        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(context(clientKey, clientCert, serverCert)).connectTimeout(Duration.ofSeconds(5)).build();

        String upload = "{\"name\":\"bench-exchange-" + Long.toString(System.currentTimeMillis(), 36) + "\","
                + "\"authorizedDomains\":[\"localhost:" + tlsPort + "\"],"
                + "\"clientCertificate\":" + json(Files.readString(pems.resolve("client.crt"))) + ","
                + "\"clientKey\":" + json(Files.readString(pems.resolve("client.key"))) + ","
                + "\"caCertificate\":" + json(Files.readString(pems.resolve("server.crt"))) + "}";
        HttpResponse<String> created = plain.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/certificates"))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(upload)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("upload failed: " + created.statusCode() + " " + created.body());
        }
        String id = created.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");

        String target = "https://localhost:" + tlsPort + "/bench";
        HttpRequest viaService = HttpRequest.newBuilder(URI.create(base + "/api/v1/certificates/" + id + "/exchange"))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"GET\",\"url\":\"" + target + "\"}")).build();
        HttpRequest direct = HttpRequest.newBuilder(URI.create(target)).GET().build();
        HttpRequest oneHop = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hop.getAddress().getPort() + "/hop"))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"GET\",\"url\":\"" + target + "\"}")).build();

        // Where the service's time goes: the same caller reading the certificate (token check + row read, no egress).
        HttpRequest readBack = HttpRequest.newBuilder(URI.create(base + "/api/v1/certificates/" + id))
                .header("Authorization", token).GET().build();
        Supplier<Long> service = () -> time(plain, viaService, "\"status\":200");
        Supplier<Long> readCall = () -> time(plain, readBack, id);
        Supplier<Long> bareCall = () -> time(bare, direct, "\"ok\":true");
        Supplier<Long> hopCall = () -> time(plain, oneHop, "\"status\":200");
        // The per-request floor of the stack: one row read through a plain Quarkus REST + Hibernate app
        // (bench/floor-app on the same PostgreSQL; no security, audit or metrics), when it is built.
        String floorUrl = System.getenv("FLOOR_URL");
        Supplier<Long> floorCall = null;
        Supplier<Long> pingCall = null;
        if (floorUrl != null && !floorUrl.isEmpty()) {
            HttpResponse<String> item = plain.send(HttpRequest.newBuilder(URI.create(floorUrl + "/items"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String itemId = item.body().replaceAll("(?s).*\"id\"\\s*:\\s*(\\d+).*", "$1");
            HttpRequest floorGet = HttpRequest.newBuilder(URI.create(floorUrl + "/items/" + itemId)).GET().build();
            floorCall = () -> time(plain, floorGet, "\"bench\"");
            HttpRequest floorPing = HttpRequest.newBuilder(URI.create(floorUrl + "/ping")).GET().build();
            pingCall = () -> time(plain, floorPing, "pong");
        }

        int warmup = Integer.getInteger("warmup", Math.max(200, samples / 2));
        for (int i = 0; i < warmup; i++) {
            service.get();
            readCall.get();
            bareCall.get();
            hopCall.get();
            if (floorCall != null) {
                floorCall.get();
                pingCall.get();
            }
        }
        List<Long> s = new ArrayList<>();
        List<Long> f = new ArrayList<>();
        List<Long> p = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        List<Long> h = new ArrayList<>();
        List<Long> r = new ArrayList<>();
        while (s.size() < samples) {
            for (int i = 0; i < BLOCK; i++) {
                s.add(service.get());
            }
            for (int i = 0; i < BLOCK; i++) {
                b.add(bareCall.get());
            }
            for (int i = 0; i < BLOCK; i++) {
                h.add(hopCall.get());
            }
            for (int i = 0; i < BLOCK; i++) {
                r.add(readCall.get());
            }
            for (int i = 0; floorCall != null && i < BLOCK; i++) {
                f.add(floorCall.get());
            }
            for (int i = 0; pingCall != null && i < BLOCK; i++) {
                p.add(pingCall.get());
            }
        }
        HttpResponse<String> last = plain.send(viaService, HttpResponse.BodyHandlers.ofString());
        System.out.println("last exchange answer: " + last.body().replaceAll("\"cipherSuite\":\"[^\"]*\",?", ""));

        System.out.printf("samples: %d each, %d warm-up, alternating blocks of %d%n", s.size(), warmup, BLOCK);
        double sp = report("exchange through certificate-service", s);
        double bp = report("bare JDK HttpClient, same client certificate", b);
        double hp = report("one loopback HTTP hop (JDK HttpServer)", h);
        report("GET the certificate (token + row, no egress)", r);
        if (!f.isEmpty()) {
            report("floor app: plain Quarkus GET of one row", f);
            report("floor app: plain Quarkus GET, no database", p);
        }
        double aim = 1.5 * bp + hp;
        System.out.printf("AIM 1.5 x bare p50 + hop p50 = %.3f ms; service p50 / aim = %.2f (<= 1 meets it)%n", aim, sp / aim);
        System.out.printf("RATIO service p50 / (bare p50 + hop p50) = %.2f; service p50 / bare p50 = %.2f%n",
                sp / (bp + hp), sp / bp);
        // Where the cores go (the TLS server and the hop answer inside this JVM, so they count as the bench's).
        StackCpu.perCall("exchange through certificate-service", 1000, service::get);
        StackCpu.perCall("bare JDK HttpClient", 1000, bareCall::get);
        StackCpu.perCall("GET the certificate", 1000, readCall::get);
        if (floorCall != null) {
            StackCpu.perCall("floor app GET of one row", 1000, floorCall::get);
            StackCpu.perCall("floor app GET, no database", 1000, pingCall::get);
        }
        tls.stop(0);
        hop.stop(0);
        System.exit(0);
    }

    private static long time(HttpClient client, HttpRequest request, String expect) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - start;
            if (response.statusCode() != 200 || !response.body().contains(expect)) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + " " + response.body());
            }
            return took;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double report(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        double p50 = pct(sorted, 50);
        System.out.printf("%-46s p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms%n", what, p50, pct(sorted, 90), pct(sorted, 99));
        return p50;
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    /** Presents key+certificate, trusts exactly {@code trusted}. */
    private static SSLContext context(PrivateKey key, Certificate own, Certificate trusted) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("own", key, new char[0], new Certificate[] {own});
        // SunX509 reads the key once; the PKIX factory would decrypt it from the store per handshake.
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("trusted", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    static String mint(PrivateKey key) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"iss\":\"keyline\",\"sub\":\"bench\",\"upn\":\"bench\","
                + "\"aud\":\"certificate-service\",\"groups\":[\"certificates:read\",\"certificates:use\","
                + "\"certificates:manage\"],\"iat\":" + now + ",\"exp\":" + (now + 3000) + "}").getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + b64.encodeToString(signature.sign());
    }

    static PrivateKey privateKey(Path pem) throws Exception {
        String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
    }

    private static Certificate certificate(Path pem) throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
