package dev.keyline.connection;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for certificate-service's exchange, authorization and consumer endpoints and its
 * readiness probe, on a JDK HttpServer.
 * It checks the bearer token like the real service (signed with the test key, not expired, and
 * holding {@code certificates:use}: 401/403 otherwise), records what it was asked, and answers per
 * certificate id as a test scripted it (an exchange result, a problem, or a slow answer).
 */
public final class CertificateServiceStub implements AutoCloseable {

    /** The permission the real certificate-service requires for an exchange. */
    public static final String USE = "certificates:use";
    private static final Pattern EXCHANGE = Pattern.compile("/api/v1/certificates/([^/]+)/exchange");
    private static final Pattern AUTHORIZATION = Pattern.compile("/api/v1/certificates/([^/]+)/authorization");
    private static final Pattern CONSUMER = Pattern.compile("/api/v1/certificates/([^/]+)/consumers/([^/]+)");

    /** What to answer for one certificate id. */
    public record Script(int status, String body, long delayMillis) {
    }

    /** One registration call: PUT (register, {@code body} the JSON sent) or DELETE (unregister). */
    public record ConsumerCall(String method, String certificateId, String consumerId, String authorization, String via,
            String body) {
    }

    /** One request the stub received. */
    public record Received(String certificateId, String authorization, String via, String body, String traceparent) {
    }

    private final HttpServer server;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Certificate id → the host:port pairs its authorized domains cover; absent = no such certificate. */
    private final Map<String, Set<String>> authorized = new ConcurrentHashMap<>();
    private final List<Received> authorizationQuestions = new CopyOnWriteArrayList<>();
    private volatile int readyStatus = 200;
    private final List<ConsumerCall> consumerCalls = new CopyOnWriteArrayList<>();
    /** Certificate id → (consumer id → the body it was registered with). */
    private final Map<String, Map<String, String>> consumers = new ConcurrentHashMap<>();
    /** Certificate id → the status its consumer calls fail with (503, 500, …). */
    private final Map<String, Integer> consumerFailures = new ConcurrentHashMap<>();

    private CertificateServiceStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static CertificateServiceStub start() {
        try {
            return new CertificateServiceStub();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The exchange for this certificate succeeds with the remote server's {@code status}. */
    public void exchangeAnswers(String certificateId, int remoteStatus) {
        scripts.put(certificateId, new Script(200, """
                {"status":%d,"reason":"OK","headers":[],"body":"{}","truncated":false,"tlsProtocol":"TLSv1.3",
                 "cipherSuite":"TLS_AES_128_GCM_SHA256","remoteAddress":"192.0.2.10:443","matchedRule":"*.partner.test",
                 "timing":{"connectMillis":1.5,"tlsHandshakeMillis":4.2,"totalMillis":9.9}}""".formatted(remoteStatus), 0));
    }

    /** certificate-service answers with this problem. */
    public void problem(String certificateId, int status, String type, String detail) {
        scripts.put(certificateId, new Script(status, """
                {"type":"urn:keyline:problem:%s","title":"t","status":%d,"detail":"%s"}""".formatted(type, status, detail),
                0));
    }

    /** certificate-service answers only after {@code delayMillis}. */
    public void slow(String certificateId, long delayMillis) {
        exchangeAnswers(certificateId, 200);
        Script ok = scripts.get(certificateId);
        scripts.put(certificateId, new Script(ok.status(), ok.body(), delayMillis));
    }

    /** The certificate exists and its authorized domains cover {@code host:port} (lower case). */
    public void authorize(String certificateId, String hostPort) {
        authorized.computeIfAbsent(certificateId, k -> ConcurrentHashMap.newKeySet()).add(hostPort);
    }

    /** The certificate exists but covers none of the hosts asked about. */
    public void exists(String certificateId) {
        authorized.computeIfAbsent(certificateId, k -> ConcurrentHashMap.newKeySet());
    }

    /** The certificate was deleted. */
    public void forget(String certificateId) {
        authorized.remove(certificateId);
    }

    /** The authorization questions asked about this certificate: query string as body, and the bearer sent. */
    public List<Received> authorizationQuestions(String certificateId) {
        return authorizationQuestions.stream().filter(r -> r.certificateId().equals(certificateId)).toList();
    }

    /** Every PUT/DELETE of …/consumers/… received for this connector (consumer id), at any certificate, in order. */
    public List<ConsumerCall> consumerCallsOf(String consumerId) {
        return consumerCalls.stream().filter(c -> c.consumerId().equals(consumerId)).toList();
    }

    /** Every PUT/DELETE of …/consumers/… received for this certificate, in order. */
    public List<ConsumerCall> consumerCalls(String certificateId) {
        return consumerCalls.stream().filter(c -> c.certificateId().equals(certificateId)).toList();
    }

    /** The connectors registered as users of this certificate: consumer id → the JSON body registered. */
    public Map<String, String> consumers(String certificateId) {
        return Map.copyOf(consumers.getOrDefault(certificateId, Map.of()));
    }

    /** Registering and unregistering at this certificate fail with {@code status} (0: they work again). */
    public void consumerCallsFail(String certificateId, int status) {
        if (status == 0) {
            consumerFailures.remove(certificateId);
        } else {
            consumerFailures.put(certificateId, status);
        }
    }

    public void readyStatus(int status) {
        this.readyStatus = status;
    }

    public List<Received> received(String certificateId) {
        return received.stream().filter(r -> r.certificateId().equals(certificateId)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/q/health/ready")) {
                respond(exchange, readyStatus, "{\"status\":\"" + (readyStatus == 200 ? "UP" : "DOWN") + "\"}");
                return;
            }
            Matcher a = AUTHORIZATION.matcher(path);
            if (a.matches() && exchange.getRequestMethod().equals("GET")) {
                answerAuthorization(exchange, a.group(1));
                return;
            }
            Matcher c = CONSUMER.matcher(path);
            if (c.matches()) {
                answerConsumer(exchange, c.group(1), c.group(2));
                return;
            }
            Matcher m = EXCHANGE.matcher(path);
            if (!m.matches() || !exchange.getRequestMethod().equals("POST")) {
                respond(exchange, 404, "{\"type\":\"urn:keyline:problem:not-found\",\"status\":404}");
                return;
            }
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String id = m.group(1);
            received.add(new Received(id, authorization, exchange.getRequestHeaders().getFirst("Keyline-Via"), body,
                    exchange.getRequestHeaders().getFirst("traceparent")));
            Set<String> groups = StubTokens.verifiedGroups(authorization);
            if (groups == null) {
                respond(exchange, 401, "{\"type\":\"urn:keyline:problem:unauthenticated\",\"status\":401,"
                        + "\"detail\":\"A valid bearer token is required\"}");
                return;
            }
            if (!groups.contains(USE)) {
                respond(exchange, 403, "{\"type\":\"urn:keyline:problem:forbidden\",\"status\":403,"
                        + "\"detail\":\"This operation needs another permission\"}");
                return;
            }
            Script script = scripts.get(id);
            if (script == null) {
                respond(exchange, 404, "{\"type\":\"urn:keyline:problem:not-found\",\"status\":404,"
                        + "\"detail\":\"Certificate " + id + " does not exist\"}");
                return;
            }
            if (script.delayMillis() > 0) {
                try {
                    Thread.sleep(script.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            respond(exchange, script.status(), script.body());
        } catch (IOException e) {
            // The client gave up (timeout tests): nothing to answer.
        }
    }

    /** Like certificate-service: a bearer is required, 404 for an unknown certificate, else allowed or not. */
    private void answerAuthorization(HttpExchange exchange, String id) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String query = exchange.getRequestURI().getQuery();
        authorizationQuestions.add(new Received(id, authorization, exchange.getRequestHeaders().getFirst("Keyline-Via"), query,
                exchange.getRequestHeaders().getFirst("traceparent")));
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            respond(exchange, 401, "{\"type\":\"urn:keyline:problem:unauthenticated\",\"status\":401}");
            return;
        }
        Map<String, String> params = new HashMap<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        Set<String> covered = authorized.get(id);
        if (covered == null) {
            respond(exchange, 404, "{\"type\":\"urn:keyline:problem:not-found\",\"status\":404,"
                    + "\"detail\":\"Certificate " + id + " does not exist\"}");
            return;
        }
        String host = params.get("host");
        int port = Integer.parseInt(params.getOrDefault("port", "443"));
        boolean allowed = covered.contains(host + ":" + port);
        respond(exchange, 200, "{\"allowed\":" + allowed + ",\"host\":\"" + host + "\",\"port\":" + port
                + (allowed ? ",\"matchedRule\":\"" + host + "\"" : ",\"reason\":\"no authorized domain matches\"")
                + "}");
    }

    /** Like certificate-service: a valid token with certificates:use, 404 for an unknown certificate, idempotent. */
    private void answerConsumer(HttpExchange exchange, String certificateId, String consumerId) throws IOException {
        String method = exchange.getRequestMethod();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        consumerCalls.add(new ConsumerCall(method, certificateId, consumerId, authorization,
                exchange.getRequestHeaders().getFirst("Keyline-Via"), body));
        Set<String> groups = StubTokens.verifiedGroups(authorization);
        if (groups == null) {
            respond(exchange, 401, "{\"type\":\"urn:keyline:problem:unauthenticated\",\"status\":401}");
            return;
        }
        if (!groups.contains(USE)) {
            respond(exchange, 403, "{\"type\":\"urn:keyline:problem:forbidden\",\"status\":403,"
                    + "\"detail\":\"This operation needs another permission\"}");
            return;
        }
        Integer failure = consumerFailures.get(certificateId);
        if (failure != null) {
            respond(exchange, failure, "{\"type\":\"urn:keyline:problem:vault-unavailable\",\"status\":" + failure
                    + ",\"detail\":\"scripted failure\"}");
            return;
        }
        if (!authorized.containsKey(certificateId)) {
            respond(exchange, 404, "{\"type\":\"urn:keyline:problem:not-found\",\"status\":404,"
                    + "\"detail\":\"Certificate " + certificateId + " does not exist\"}");
            return;
        }
        Map<String, String> registered = consumers.computeIfAbsent(certificateId, k -> new ConcurrentHashMap<>());
        if (method.equals("PUT")) {
            boolean created = registered.put(consumerId, body) == null;
            respond(exchange, created ? 201 : 200, "{\"id\":\"" + consumerId + "\"}");
        } else if (method.equals("DELETE")) {
            registered.remove(consumerId);
            exchange.sendResponseHeaders(204, -1);
        } else {
            respond(exchange, 405, "{\"status\":405}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type",
                status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Starts the stub for the Quarkus tests and points the REST client and readiness check at it. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {

        private CertificateServiceStub stub;

        @Override
        public Map<String, String> start() {
            stub = CertificateServiceStub.start();
            Map<String, String> config = new HashMap<>();
            config.put("quarkus.rest-client.certificate-service.url", stub.url());
            config.put("connection-service.certificate-service.health-url", stub.url() + "/q/health/ready");
            return config;
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(stub,
                    new TestInjector.AnnotatedAndMatchesType(InjectCertificateServiceStub.class, CertificateServiceStub.class));
        }

        @Override
        public void stop() {
            if (stub != null) {
                stub.close();
            }
        }
    }
}
