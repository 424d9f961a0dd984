import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an {@code -Xlog:class+load} log, copied at the moment of ready (bench/startup-classes.sh), into
 * service-common's StartupClassPreloader list: one line per run of classes loaded one after the other
 * from the same package, "package Simple Simple$Inner ...", in load order.
 *
 * <p>Kept: classes read from the jars and the JDK's modules (what the main thread would otherwise parse
 * and define). Left out: classes from the JDK's CDS archive (already cheap), hidden classes, lambdas and
 * proxies (generated, not loadable by name), JFR's own, and the two libraries the services deliberately
 * warm up on their own threads after ready (BouncyCastle, the Snowflake driver), which a busy launch can
 * catch before ready.
 */
public class StartupClassList {

    static final Pattern LINE = Pattern.compile("^(?:\\[[^]]*\\])+\\s*(\\S+) source: (\\S+)");

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        StringBuilder out = new StringBuilder();
        String currentPackage = null;
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.find() || !keep(m.group(1), m.group(2))) {
                continue;
            }
            String name = m.group(1);
            int dot = name.lastIndexOf('.');
            String pkg = dot < 0 ? "" : name.substring(0, dot);
            if (!pkg.equals(currentPackage)) {
                if (currentPackage != null) {
                    out.append('\n');
                }
                out.append(pkg);
                currentPackage = pkg;
            }
            out.append(' ').append(name.substring(dot + 1));
        }
        if (currentPackage != null) {
            out.append('\n');
        }
        System.out.print(out);
    }

    static boolean keep(String name, String source) {
        return (source.startsWith("file:") || source.startsWith("jrt:"))
                && !name.contains("/") && !name.contains("$$Lambda") && !name.startsWith("jdk.proxy")
                && !name.startsWith("jdk.jfr.") && !name.startsWith("org.bouncycastle.")
                && !name.startsWith("net.snowflake.");
    }
}
