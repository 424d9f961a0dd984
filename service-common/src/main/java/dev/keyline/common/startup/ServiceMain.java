package dev.keyline.common.startup;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The services' entry point: starts {@link StartupClassPreloader} before Quarkus starts, then runs
 * Quarkus exactly as its generated main would ({@link Quarkus#run(String...)} runs the application
 * and waits for it to stop).
 *
 * <p>Why a main of our own: the preloader must begin before Quarkus' static initialisation, which is
 * the first thing the generated main does, and a {@code @QuarkusMain} is the supported way in.
 */
@QuarkusMain
public class ServiceMain {

    public static void main(String... args) {
        StartupClassPreloader.start(ServiceMain.class.getClassLoader());
        Quarkus.run(args);
    }
}
