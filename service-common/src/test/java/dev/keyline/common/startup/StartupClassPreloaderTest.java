package dev.keyline.common.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

class StartupClassPreloaderTest {

    static final AtomicBoolean INITIALISED = new AtomicBoolean();

    static class NotToBeInitialised {
        static {
            INITIALISED.set(true);
        }
    }

    @Test
    void loadsTheListedClassesInOrderWithoutInitialisingThemAndSkipsTheOnesThatAreGone() {
        ListServingLoader loader = new ListServingLoader("""
                java.util ArrayList
                dev.keyline.common.startup StartupClassPreloaderTest$NotToBeInitialised NoLongerThere
                java.util HashMap
                """);

        assertThat(StartupClassPreloader.preload(loader)).isEqualTo(3);

        assertThat(loader.requested).containsExactly("java.util.ArrayList",
                "dev.keyline.common.startup.StartupClassPreloaderTest$NotToBeInitialised",
                "dev.keyline.common.startup.NoLongerThere", "java.util.HashMap");
        assertThat(INITIALISED).isFalse();
    }

    @Test
    void withoutAListNothingIsLoaded() {
        ListServingLoader loader = new ListServingLoader(null);

        StartupClassPreloader.start(loader);

        assertThat(loader.requested).isEmpty();
    }

    @Test
    void anAotCacheOrItsTrainingTurnsPreloadingOff() {
        Predicate<String> exists = "app.aot"::equals;
        assertThat(StartupClassPreloader.aotCache(List.of("-Xmx256m", "-XX:AOTCache=app.aot"), 25, exists)).isTrue();
        assertThat(StartupClassPreloader.aotCache(List.of("-XX:AOTCacheOutput=app.aot"), 25, exists)).isTrue();
        assertThat(StartupClassPreloader.aotCache(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=a.conf"), 25,
                exists)).isTrue();
        assertThat(StartupClassPreloader.aotCache(List.of("-XX:SharedArchiveFile=app.jsa"), 21, exists)).isTrue();
        assertThat(StartupClassPreloader.aotCache(List.of("-Xmx256m", "-Dkeyline.x=-XX:AOTCache"), 25, exists)).isFalse();
    }

    @Test
    void anAotCacheTheJvmCannotUseLeavesPreloadingOn() {
        Predicate<String> exists = "app.aot"::equals;
        // The container image passes -XX:AOTCache always: a JDK 21 ignores it, and a missing file is no cache.
        assertThat(StartupClassPreloader.aotCache(List.of("-XX:AOTCache=app.aot"), 21, exists)).isFalse();
        assertThat(StartupClassPreloader.aotCache(List.of("-XX:AOTCache=/deployments/none.aot"), 25, exists)).isFalse();
    }

    /** Serves the list as the service's resource and records which classes were asked for. */
    static final class ListServingLoader extends ClassLoader {
        final List<String> requested = new CopyOnWriteArrayList<>();
        final String list;

        ListServingLoader(String list) {
            super(StartupClassPreloaderTest.class.getClassLoader());
            this.list = list;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            if (list != null && name.equals(StartupClassPreloader.LIST)) {
                return uri("file:/" + name);
            }
            return name.equals(StartupClassPreloader.LIST) ? null : super.getResource(name);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            if (list != null && name.equals(StartupClassPreloader.LIST)) {
                return new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8));
            }
            return null;
        }

        private static URL uri(String s) {
            try {
                return URI.create(s).toURL();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
