import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Launch → ready and RSS after start of Quarkus apps, measured interleaved (JDK only; run with
 * {@code java bench/src/StartupTimes.java}).
 *
 * <pre>
 * java bench/src/StartupTimes.java SPEC_FILE ROUNDS LOG_DIR [aot|noaot|both]
 * </pre>
 *
 * SPEC_FILE has one app per line: {@code name<TAB>quarkus-app dir<TAB>http|management<TAB>KEY=VALUE ...}
 * (environment for that app; its HTTP and management ports are chosen free here for every launch).
 * "ready" is the first 200 from {@code /q/health/ready} on the management port (or on the HTTP port
 * for apps without one), polled every 10 ms from the moment the process is started. RSS is read from
 * /proc right after ready (VmRSS, and RssAnon: the part that is not mapped files such as jars and the
 * AOT cache, which the page cache shares between processes). Each round launches every app once per mode, one after the other, so load
 * from outside falls on the floor and the services alike: read the ratios, not the seconds.
 *
 * <p>With "aot" (JDK 25+: {@code -XX:AOTCacheOutput}), each app first gets a training run (start,
 * a few requests, stop), which writes {@code <dir>/bench.aot}; the measured launches then use
 * {@code -XX:AOTCache}. Prints a table with medians, ratios against the first app (the floor) and
 * every sample.
 */
public class StartupTimes {

    record App(String name, Path dir, boolean managementPort, Map<String, String> env) {
        Path jar() {
            return dir.resolve("quarkus-run.jar");
        }

        Path aotCache() {
            return dir.resolve("bench.aot");
        }
    }

    /**
     * cpuMillis: CPU time (user + system, all threads) the process used until ready; mainCpuMillis: of
     * it, the Java main thread's. They move far less with outside load than the wall time, so they show
     * an A/B difference on a busy machine better (10 ms resolution: /proc clock ticks).
     */
    record Sample(long readyMillis, long rssKb, long anonKb, long cpuMillis, long mainCpuMillis,
            Map<String, Long> threadGroupCpuMillis) {
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static Path logs;
    /**
     * BENCH_JAVA_OPTS: JVM options given to every app alike, the floor included (e.g. a heap setting, or
     * {@code -XX:StartFlightRecording=filename=DIR/} to profile the launches), so a flag's effect on the
     * services is always read next to its effect on the floor.
     */
    static final List<String> EXTRA_JVM_OPTS = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "").isBlank()
            ? List.of() : List.of(System.getenv("BENCH_JAVA_OPTS").strip().split("\\s+"));

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: StartupTimes SPEC_FILE ROUNDS LOG_DIR [aot|noaot|both]");
            System.exit(2);
        }
        List<App> apps = readSpec(Path.of(args[0]));
        int rounds = Integer.parseInt(args[1]);
        logs = Path.of(args[2]);
        Files.createDirectories(logs);
        String modes = args.length > 3 ? args[3] : "both";
        if (System.getenv("BENCH_JAVA") != null) {
            java = System.getenv("BENCH_JAVA");
        }
        boolean aotSupported = aotSupported();
        List<String> modeList = new ArrayList<>();
        if (!modes.equals("aot")) {
            modeList.add("noaot");
        }
        if (!modes.equals("noaot")) {
            if (aotSupported) {
                modeList.add("aot");
            } else {
                System.out.println("this JVM has no -XX:AOTCacheOutput (JDK 25+): measuring without the AOT cache only");
            }
        }

        // One uncounted launch per app first: it migrates the empty schemas (Flyway), so every counted
        // launch finds what a restart finds. With the AOT cache, that launch is the training run
        // (unless a cache newer than every jar of the app is there already: training takes minutes).
        for (App app : apps) {
            if (modeList.contains("aot")) {
                train(app);
            } else {
                launch(app, "noaot", "warm-up");
            }
        }

        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String mode : modeList) {
                for (App app : apps) {
                    Sample s = launch(app, mode, "r" + round);
                    samples.computeIfAbsent(app.name + " " + mode, k -> new ArrayList<>()).add(s);
                    System.out.printf(Locale.ROOT,
                            "  round %d %-22s %-6s ready %6d ms  RSS %4d MB (anon %4d MB)  CPU %5d ms (main %5d ms)  (load %s)%n",
                            round, app.name, mode, s.readyMillis, s.rssKb / 1024, s.anonKb / 1024, s.cpuMillis,
                            s.mainCpuMillis, load());
                }
            }
        }
        report(apps, modeList, samples);
    }

    static List<App> readSpec(Path spec) throws IOException {
        List<App> apps = new ArrayList<>();
        for (String line : Files.readAllLines(spec)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 3; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                env.put(f[i].substring(0, eq), f[i].substring(eq + 1));
            }
            apps.add(new App(f[0], Path.of(f[1]).toAbsolutePath(), f[2].equals("management"), env));
        }
        return apps;
    }

    static boolean aotSupported() throws Exception {
        Process p = new ProcessBuilder(java, "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.contains(" AOTCacheOutput ");
    }

    /** A training run: start with -XX:AOTCacheOutput, serve a few requests, stop; the JVM writes the cache at exit. */
    static void train(App app) throws Exception {
        if (System.getenv("BENCH_RETRAIN") == null && fresh(app)) {
            System.out.printf(Locale.ROOT, "  reusing %-22s %d MB cache (newer than every jar; BENCH_RETRAIN=1 trains anew)%n",
                    app.name, Files.size(app.aotCache()) >> 20);
            launch(app, "aot", "warm-up");
            return;
        }
        Files.deleteIfExists(app.aotCache());
        long t0 = System.nanoTime();
        Launched l = start(app, List.of("-XX:AOTCacheOutput=" + app.aotCache()), "train");
        l.awaitReady();
        for (int i = 0; i < 20; i++) {
            get(l.readyUrl());
            get("http://127.0.0.1:" + l.httpPort + "/api/v1/audit-events");
            get("http://127.0.0.1:" + l.httpPort + "/items");
        }
        l.process.destroy();
        if (!l.process.waitFor(300, TimeUnit.SECONDS)) {
            l.process.destroyForcibly();
            throw new IllegalStateException(app.name + ": training run did not stop within 300 s");
        }
        if (!Files.exists(app.aotCache())) {
            throw new IllegalStateException(app.name + ": training run wrote no AOT cache; see " + l.log);
        }
        System.out.printf(Locale.ROOT, "  trained %-22s %d MB cache in %.1f s (load %s)%n", app.name,
                Files.size(app.aotCache()) >> 20, (System.nanoTime() - t0) / 1e9, load());
    }

    /** The cache exists and no jar of the app is newer: the JVM would accept it. */
    static boolean fresh(App app) throws IOException {
        if (!Files.exists(app.aotCache())) {
            return false;
        }
        long cache = Files.getLastModifiedTime(app.aotCache()).toMillis();
        try (var jars = Files.walk(app.dir())) {
            return jars.filter(f -> f.toString().endsWith(".jar"))
                    .noneMatch(f -> f.toFile().lastModified() > cache);
        }
    }

    static Sample launch(App app, String mode, String tag) throws Exception {
        List<String> opts = mode.equals("aot") ? List.of("-XX:AOTCache=" + app.aotCache()) : List.of();
        Launched l = start(app, opts, mode + "-" + tag);
        long ready;
        try {
            ready = l.awaitReady();
        } catch (IllegalStateException e) {
            // A port found free here can be taken by another process on this shared machine before
            // the app binds it; that launch says nothing about start-up, so it is made once more.
            if (l.process.isAlive() || !Files.readString(l.log.toPath()).contains("Address already in use")) {
                throw e;
            }
            System.out.printf(Locale.ROOT, "  %s %s %s: a port was taken meanwhile; launching again%n", app.name, mode, tag);
            l = start(app, opts, mode + "-" + tag + "-again");
            ready = l.awaitReady();
        }
        long rss = statusKb(l.process.pid(), "VmRSS:");
        long anon = statusKb(l.process.pid(), "RssAnon:");
        long cpu = StackCpu.cpuMillis(Path.of("/proc", Long.toString(l.process.pid()), "stat"));
        long mainCpu = mainThreadCpuMillis(l.process.pid());
        Map<String, Long> groups = threadGroupCpuMillis(l.process.pid());
        atReady(l);
        l.process.destroy();
        if (!l.process.waitFor(60, TimeUnit.SECONDS)) {
            l.process.destroyForcibly().waitFor();
        }
        return new Sample(ready, rss, anon, cpu, mainCpu, groups);
    }

    /**
     * BENCH_AT_READY: a command run right after ready and the figures are read, before the app is
     * stopped, with {pid}, {port} (the port /q/health/ready answered on) and {app} replaced, and its
     * output appended to the app's log;
     * e.g. {@code jcmd {pid} VM.native_memory summary} (with {@code -XX:NativeMemoryTracking=summary}
     * in BENCH_JAVA_OPTS) shows where the RSS at ready went.
     */
    static void atReady(Launched l) throws IOException, InterruptedException {
        String cmd = System.getenv("BENCH_AT_READY");
        if (cmd == null || cmd.isBlank()) {
            return;
        }
        List<String> argv = new ArrayList<>();
        for (String arg : cmd.strip().split("\\s+")) {
            argv.add(arg.replace("{pid}", Long.toString(l.process.pid())).replace("{port}",
                    Integer.toString(l.useManagement ? l.managementPort : l.httpPort)).replace("{app}", l.appName));
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(l.log)).start();
        p.waitFor(60, TimeUnit.SECONDS);
    }

    static final class Launched {
        Process process;
        long startNanos;
        int httpPort;
        int managementPort;
        boolean useManagement;
        File log;
        String appName;

        String readyUrl() {
            return "http://127.0.0.1:" + (useManagement ? managementPort : httpPort) + "/q/health/ready";
        }

        long awaitReady() throws Exception {
            HttpRequest req = HttpRequest.newBuilder(URI.create(readyUrl())).timeout(Duration.ofSeconds(2)).build();
            long deadline = startNanos + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(appName + " exited before it was ready; see " + log);
                }
                try {
                    if (HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(10);
            }
            process.destroyForcibly();
            throw new IllegalStateException(appName + " not ready within 180 s; see " + log);
        }
    }

    static Launched start(App app, List<String> jvmOpts, String tag) throws Exception {
        Launched l = new Launched();
        l.appName = app.name;
        l.httpPort = freePort();
        l.managementPort = freePort();
        l.useManagement = app.managementPort;
        l.log = logs.resolve(app.name + "-" + tag + ".log").toFile();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(EXTRA_JVM_OPTS);
        cmd.addAll(jvmOpts);
        cmd.add("-jar");
        cmd.add(app.jar().toString());
        // Appending (O_APPEND) on both sides, so that what BENCH_AT_READY writes is not overwritten by
        // the app's own later output.
        Files.deleteIfExists(l.log.toPath());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(l.log));
        pb.environment().putAll(app.env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(l.httpPort));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(l.managementPort));
        l.startNanos = System.nanoTime();
        l.process = pb.start();
        return l;
    }

    static void get(String url) {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            // training traffic only
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static long statusKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static long mainThreadCpuMillis(long pid) throws IOException {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    // The launcher's first thread (tid = pid) only waits; the Java main thread is the
                    // other one the kernel still calls "java" (the JVM names only the threads it starts).
                    if (!task.getFileName().toString().equals(Long.toString(pid))
                            && Files.readString(task.resolve("comm")).strip().equals("java")) {
                        return StackCpu.cpuMillis(task.resolve("stat"));
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return -1;
    }

    /**
     * CPU to ready per thread group (the thread's name with its digits replaced by #; the Java main
     * thread as "main"), to say which threads the CPU above the floor's went to: on 2 cores the JIT's
     * and the other threads' CPU delays the main thread as much as its own.
     */
    static Map<String, Long> threadGroupCpuMillis(long pid) throws IOException {
        Map<String, Long> groups = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.equals("java")) {
                        name = task.getFileName().toString().equals(Long.toString(pid)) ? "launcher" : "main";
                    }
                    long cpu = StackCpu.cpuMillis(task.resolve("stat"));
                    if (cpu > 0) {
                        groups.merge(name.replaceAll("[0-9]+", "#"), cpu, Long::sum);
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile (its CPU is in the process's total only)
                }
            }
        }
        return groups;
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void report(List<App> apps, List<String> modes, Map<String, List<Sample>> samples) {
        System.out.println();
        System.out.println("| app | AOT cache | launch → ready, median | × floor | RSS after start, median | × floor"
                + " | of it anonymous (heap, metaspace, code) | × floor | CPU to ready (main thread), median | × floor"
                + " | ready samples (ms) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String mode : modes) {
            List<Sample> floor = samples.get(apps.get(0).name + " " + mode);
            long floorReady = median(floor.stream().map(Sample::readyMillis).toList());
            long floorRss = median(floor.stream().map(Sample::rssKb).toList());
            long floorAnon = median(floor.stream().map(Sample::anonKb).toList());
            long floorCpu = median(floor.stream().map(Sample::cpuMillis).toList());
            for (App app : apps) {
                List<Sample> s = samples.get(app.name + " " + mode);
                long ready = median(s.stream().map(Sample::readyMillis).toList());
                long rss = median(s.stream().map(Sample::rssKb).toList());
                long anon = median(s.stream().map(Sample::anonKb).toList());
                long cpu = median(s.stream().map(Sample::cpuMillis).toList());
                long mainCpu = median(s.stream().map(Sample::mainCpuMillis).toList());
                System.out.printf(Locale.ROOT, "| %s | %s | %d ms | %.2f | %d MB | %.2f | %d MB | %.2f | %d ms (%d ms) | %.2f | %s |%n",
                        app.name, mode.equals("aot") ? "yes" : "no", ready, (double) ready / floorReady, rss / 1024,
                        (double) rss / floorRss, anon / 1024, (double) anon / floorAnon, cpu, mainCpu,
                        (double) cpu / floorCpu, s.stream().map(x -> Long.toString(x.readyMillis)).toList());
            }
        }
        System.out.println();
        System.out.println("CPU to ready by thread group, median ms (groups under 50 ms left out):");
        for (String mode : modes) {
            for (App app : apps) {
                List<Sample> s = samples.get(app.name + " " + mode);
                Map<String, Long> medians = new HashMap<>();
                s.stream().flatMap(x -> x.threadGroupCpuMillis().keySet().stream()).distinct().forEach(g -> medians.put(g,
                        median(s.stream().map(x -> x.threadGroupCpuMillis().getOrDefault(g, 0L)).toList())));
                StringBuilder line = new StringBuilder();
                medians.entrySet().stream().filter(e -> e.getValue() >= 50)
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .forEach(e -> line.append(String.format(Locale.ROOT, " %s %d,", e.getKey(), e.getValue())));
                System.out.printf(Locale.ROOT, "  %-22s %-6s%s%n", app.name, mode, line);
            }
        }
        System.out.println();
        System.out.println("load after: " + load());
    }
}
