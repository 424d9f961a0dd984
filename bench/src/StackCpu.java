import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the processes a bench started, so a figure can say where the cores went and not only
 * how long a call took: on a 2-core machine shared by a client, a service, an emulator and
 * PostgreSQL, a call's latency is partly every other process's CPU.
 *
 * <p>The processes are named by the file in the environment variable {@code LOCAL_STACK_PIDS}
 * ("name pid" lines: ./run-local's {@code target/local-stack/pids}, bench/certificate-stack.sh's
 * {@code processes}); a process's descendants count with it. PostgreSQL's server is not one of them
 * ({@code pg_ctl} detaches it): with {@code LOCAL_STACK_PG_DIR} (embedded-postgres' {@code --dir}) its
 * postmaster, found by {@code postmaster.pid}, counts as "postgres server" with its backends.
 */
final class StackCpu {

    private StackCpu() {
    }

    /** CPU seconds (user + system) used so far per named process; empty without LOCAL_STACK_PIDS. */
    static Map<String, Double> cpuSeconds() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        String file = System.getenv("LOCAL_STACK_PIDS");
        if (file == null) {
            return cpu;
        }
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                ProcessHandle.of(Long.parseLong(f[1])).ifPresent(p -> cpu.put(f[0], withDescendants(p)));
            }
            String pgDir = System.getenv("LOCAL_STACK_PG_DIR");
            if (pgDir != null) {
                try (Stream<Path> files = Files.walk(Path.of(pgDir), 3)) {
                    for (Path pidFile : files.filter(f -> f.endsWith("postmaster.pid")).toList()) {
                        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                        ProcessHandle.of(pid).ifPresent(p -> cpu.merge("postgres server", withDescendants(p), Double::sum));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("(no CPU figures: " + e + ")");
        }
        return cpu;
    }

    /**
     * Runs {@code call} {@code calls} times back to back and prints the CPU milliseconds per call of
     * this JVM (the bench's client) and of each process of the stack that used any.
     */
    static void perCall(String label, int calls, Runnable call) {
        Map<String, Map<String, Long>> threadsBefore = threadTicks();
        Map<String, Double> before = cpuSeconds();
        double ownBefore = ownCpuSeconds();
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            call.run();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> after = cpuSeconds();
        double own = (ownCpuSeconds() - ownBefore) * 1000 / calls;
        StringBuilder line = new StringBuilder(String.format(" bench JVM %.2f,", own));
        double total = own;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            double ms = (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) * 1000 / calls;
            if (ms >= 0.005) {
                line.append(String.format(" %s %.2f,", e.getKey(), ms));
                total += ms;
            }
        }
        System.out.printf("  CPU ms per call, %s (%d calls in %.1f s):%s total %.2f%n", label, calls, wall, line, total);
        printThreads(threadsBefore, threadTicks(), calls);
    }

    /**
     * BENCH_THREADS=name[,name]: for those processes of the stack (not their descendants), CPU
     * milliseconds per thread (printed per group: the thread's name with its digits replaced by #), from
     * /proc/PID/task/TID; a thread that ended between the two readings is not counted.
     */
    static Map<String, Map<String, Long>> threadTicks() {
        Map<String, Map<String, Long>> ticks = new LinkedHashMap<>();
        String names = System.getenv("BENCH_THREADS");
        String file = System.getenv("LOCAL_STACK_PIDS");
        if (names == null || names.isBlank() || file == null) {
            return ticks;
        }
        List<String> wanted = List.of(names.split(","));
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2 || !wanted.contains(f[0])) {
                    continue;
                }
                Map<String, Long> perThread = new HashMap<>();
                try (Stream<Path> tasks = Files.list(Path.of("/proc", f[1], "task"))) {
                    for (Path task : tasks.toList()) {
                        try {
                            long cpu = cpuMillis(task.resolve("stat"));
                            if (cpu >= 0) {
                                perThread.put(task.getFileName() + " " + Files.readString(task.resolve("comm")).strip(), cpu);
                            }
                        } catch (IOException gone) {
                            // the thread ended meanwhile
                        }
                    }
                }
                ticks.put(f[0], perThread);
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("(no thread figures: " + e + ")");
        }
        return ticks;
    }

    static void printThreads(Map<String, Map<String, Long>> before, Map<String, Map<String, Long>> after, int calls) {
        for (Map.Entry<String, Map<String, Long>> process : after.entrySet()) {
            Map<String, Long> was = before.getOrDefault(process.getKey(), Map.of());
            Map<String, Long> groups = new HashMap<>();
            process.getValue().forEach((thread, now) -> {
                long used = now - was.getOrDefault(thread, 0L);
                if (used > 0) {
                    groups.merge(thread.substring(thread.indexOf(' ') + 1).replaceAll("[0-9]+", "#"), used, Long::sum);
                }
            });
            StringBuilder line = new StringBuilder();
            groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> line.append(String.format(" %s %.2f,", e.getKey(), (double) e.getValue() / calls)));
            System.out.printf("    %s threads, CPU ms per call (10 ms ticks):%s%n", process.getKey(), line);
        }
    }

    /** utime + stime (fields 14 and 15 of /proc/.../stat, after the parenthesised name), in ms; -1 if unreadable. */
    static long cpuMillis(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // USER_HZ = 100
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double withDescendants(ProcessHandle p) {
        return Stream.concat(Stream.of(p), p.descendants())
                .mapToDouble(h -> h.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0)).sum();
    }

    private static double ownCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
}
