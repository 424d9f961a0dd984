package dev.keyline.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A server started as a child process for end-to-end tests (a service's packaged jar, Keycloak):
 * output appended to a log file, readiness polled over HTTP, stopped with the test.
 */
public final class ServiceProcess implements AutoCloseable {

    /** Ports this JVM has handed out (see {@link #freePort}). */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final Random RANDOM = new Random();

    private final String name;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code command} with {@code env} added to this JVM's environment; output goes to {@code log}. */
    public static ServiceProcess start(String name, List<String> command, Map<String, String> env, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        try {
            Files.deleteIfExists(log);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            return new ServiceProcess(name, log, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code java -jar jar} on the JDK running the tests, with a small heap (four JVMs share the machine). */
    public static ServiceProcess startJar(String name, Path jar, Map<String, String> env, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not packaged: " + jar + " is missing (build it: ./mvnw -pl "
                    + name + " package -DskipTests)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        return start(name, List.of(java, "-Xmx256m", "-jar", jar.toString()), env, log);
    }

    /** Polls {@code url} until it answers 200; fails early if the process exits. */
    public ServiceProcess awaitReady(String url, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, then waits (SIGKILL after 30 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A port nobody listens on right now, chosen below the kernel's ephemeral range. The port
     * {@code bind(0)} hands out comes from that range, the same one every outbound connection's
     * local port is taken from; a server that binds it later (Keycloak does ~30 s after the pick)
     * found it taken by some client's connection once in CI ("Port already bound … Address already
     * in use"). Below the range only another listener can take it, and this JVM never hands out the
     * same port twice.
     */
    public static synchronized int freePort() {
        int below = ephemeralRangeStart();
        int from = Math.max(10_000, below - 12_000);
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = from + RANDOM.nextInt(below - from);
            if (HANDED_OUT.add(port) && listenable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + from + " and " + below);
    }

    /** The wildcard address: a bind there conflicts with a listener on any address, 127.0.0.1 included. */
    static boolean listenable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Linux' {@code ip_local_port_range} low end; 32768 (its default) where it cannot be read. */
    private static int ephemeralRangeStart() {
        try {
            // readAllLines, not readString: on this kernel a /proc file read by its reported size gave one byte.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > 12_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
