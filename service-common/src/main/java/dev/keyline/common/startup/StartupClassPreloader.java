package dev.keyline.common.startup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

import io.quarkus.runtime.ImageMode;

/**
 * Loads, on a background thread, the classes a service is known to load before it is ready, so that
 * the main thread finds most of them already loaded instead of reading, parsing and defining each
 * one itself.
 *
 * <p>Why: without the JDK's AOT cache, class loading was a third or more of the main thread's CPU to
 * ready (a service loads ~11,000 classes from its jars and the JDK before ready, the floor app
 * ~8,000; bench/README.md, start-up, seventh session), and the main thread does Quarkus' start one
 * step after the other while the second core is partly idle. Only loading moves: classes are not
 * initialised here ({@code Class.forName(name, false, loader)}), so no static initialiser runs
 * earlier or on another thread than it would have; Quarkus' class loader is parallel-capable, so the
 * main thread at worst waits for a class this thread is defining at that moment.
 *
 * <p>The list is {@value #LIST} in the service's own resources, written by
 * {@code bench/startup-classes.sh} from {@code -Xlog:class+load} of a launch, in load order, cut at
 * ready. A stale list costs nothing but the lookup: a class that no longer exists is skipped.
 *
 * <p>Off with the JDK's AOT cache ({@code -XX:AOTCache} of a file that exists on a JDK that reads it,
 * {@code -XX:SharedArchiveFile}, or a training run): there the classes come from the cache, and in an A/B on this machine the preloading thread made
 * launch → ready 1.3-1.9× slower although the main thread used less CPU (bench/README.md, seventh
 * session). Off in a native image, where there is nothing to load, and with the system property
 * {@value #SWITCH}{@code =false} (bench/startup-classes.sh, so that a new list is not shaped by the old
 * one).
 *
 * <p>It logs nothing: it runs before Quarkus has set up logging, and a failure here only means the
 * main thread loads its classes itself, as it would without this class.
 */
public final class StartupClassPreloader {

    static final String LIST = "META-INF/keyline/startup-classes.txt";

    static final String SWITCH = "keyline.startup-class-preloader.enabled";

    private StartupClassPreloader() {
    }

    /** Starts the preloading thread if the service ships a list; returns at once. */
    public static void start(ClassLoader loader) {
        if (ImageMode.current().isNativeImage() || !Boolean.parseBoolean(System.getProperty(SWITCH, "true"))
                || loader.getResource(LIST) == null) {
            return;
        }
        Thread.ofPlatform().daemon().name("startup-class-preloader").start(() -> {
            // Asked here, not on the main thread: the runtime MXBean loads a few dozen classes.
            if (!aotCache(ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.version().feature(),
                    path -> Files.isRegularFile(Path.of(path)))) {
                preload(loader);
            }
        });
    }

    /**
     * Whether the JVM runs with an AOT cache or CDS archive of the application, or trains one. A
     * {@code -XX:AOTCache} the JVM cannot use does not count: the container images always pass it
     * (with {@code -XX:+IgnoreUnrecognizedVMOptions}), and on a JDK before 24, or when the image build
     * could not write the cache, the service starts without one and preloading is what helps.
     */
    static boolean aotCache(Iterable<String> jvmArguments, int jdkFeature, Predicate<String> fileExists) {
        for (String argument : jvmArguments) {
            if (argument.startsWith("-XX:AOTCache=")) {
                if (jdkFeature >= 24 && fileExists.test(argument.substring("-XX:AOTCache=".length()))) {
                    return true;
                }
            } else if (argument.startsWith("-XX:AOT") || argument.startsWith("-XX:SharedArchiveFile")
                    || argument.startsWith("-XX:ArchiveClassesAtExit")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Each line of the list is a package followed by the simple (binary) names of classes loaded one
     * after the other from it, separated by spaces: the load order kept, at half the size of one
     * name a line.
     *
     * @return how many classes were found
     */
    static int preload(ClassLoader loader) {
        int loaded = 0;
        try (InputStream in = loader.getResourceAsStream(LIST);
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] names = line.split(" ");
                String prefix = names[0].isEmpty() ? "" : names[0] + ".";
                for (int i = 1; i < names.length; i++) {
                    try {
                        Class.forName(prefix + names[i], false, loader);
                        loaded++;
                    } catch (ClassNotFoundException | LinkageError e) {
                        // Not there in this build, or not loadable out of its usual order: the
                        // main thread loads it when it needs it, as without this class.
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Stop quietly: the main thread loads whatever is left when it needs it.
        }
        return loaded;
    }
}
