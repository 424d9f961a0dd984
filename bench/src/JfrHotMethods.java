import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where one window of a JFR recording spent its Java execution samples (JDK only; run with
 * {@code java bench/src/JfrHotMethods.java}): by thread (digits folded), by top frame, by the first
 * keyline frame on the stack, and inclusive for keyline methods. A window, because a bench run's
 * recording covers set-up and warm-up too, and the question is usually one phase of it.
 *
 * <pre>
 * java bench/src/JfrHotMethods.java RECORDING.jfr FROM TO [rows=30] [alloc]   # FROM/TO: ISO-8601 instants
 * </pre>
 *
 * With {@code alloc} it reads the allocation samples instead ({@code jdk.ObjectAllocationSample},
 * weighted by the bytes each stands for): what allocates, by allocated class too.
 *
 * Record with {@code KEYLINE_JAVA_OPTS="-XX:StartFlightRecording=settings=profile,filename=DIR/,dumponexit=true"}
 * (./run-local passes it to the services). Samples are of threads running Java code: time in native
 * code (socket I/O), the GC and the JIT compilers is not in them, so compare them with the process's
 * CPU seconds before reading them as CPU.
 */
public class JfrHotMethods {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: JfrHotMethods RECORDING.jfr FROM TO [rows]");
            System.exit(2);
        }
        Instant from = Instant.parse(args[1]);
        Instant to = Instant.parse(args[2]);
        int rows = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        boolean alloc = args.length > 4 && args[4].equals("alloc");
        String event = alloc ? "jdk.ObjectAllocationSample" : "jdk.ExecutionSample";
        Map<String, Integer> allocated = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> firstKeyline = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals(event) || e.getStartTime().isBefore(from)
                    || e.getStartTime().isAfter(to)) {
                continue;
            }
            // Allocation samples count in KB (the bytes each sample stands for), execution samples one each.
            int weight = alloc ? (int) Math.max(1, e.getLong("weight") / 1024) : 1;
            samples += weight;
            if (alloc) {
                allocated.merge(e.getClass("objectClass").getName(), weight, Integer::sum);
            }
            RecordedThread t = e.getThread(alloc ? "eventThread" : "sampledThread");
            String thread = t == null ? "?" : t.getJavaName() != null ? t.getJavaName() : t.getOSName();
            threads.merge(thread.replaceAll("[0-9]+", "#"), weight, Integer::sum);
            List<RecordedFrame> frames = e.getStackTrace() == null ? List.of() : e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            self.merge(name(frames.get(0)), weight, Integer::sum);
            Set<String> seen = new HashSet<>();
            boolean keylineSeen = false;
            for (RecordedFrame f : frames) {
                String method = name(f);
                if (method.startsWith("dev.keyline") && seen.add(method)) {
                    inclusive.merge(method, weight, Integer::sum);
                }
                if (!keylineSeen && method.startsWith("dev.keyline")) {
                    firstKeyline.merge(method, weight, Integer::sum);
                    keylineSeen = true;
                }
            }
        }
        System.out.println((alloc ? "KB allocated (sampled) " : "Java execution samples ") + "from " + from + " to " + to
                + ": " + samples);
        if (alloc) {
            print("allocated class", allocated, rows);
        }
        print("by thread", threads, rows);
        print("top frame", self, rows);
        print("first keyline frame on the stack", firstKeyline, rows);
        print("keyline methods, inclusive", inclusive, rows);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int rows) {
        System.out.println("== " + title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(rows)
                .forEach(x -> System.out.printf("%6d %s%n", x.getValue(), x.getKey()));
    }
}
