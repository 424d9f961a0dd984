package dev.keyline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;

/**
 * An orderly stop (SIGTERM in a rolling update, issue #16) must fit between SIGTERM and the
 * kubelet's SIGKILL: readiness turns DOWN and the pod keeps serving for {@code quarkus.shutdown.delay},
 * in-flight requests get {@code quarkus.shutdown.timeout}, and rotation-service's held runs get
 * {@code rotation-service.worker.shutdown-wait} to reach the end of their step. The rendered pods'
 * {@code terminationGracePeriodSeconds} must cover the sum with a margin, and the readiness probe must
 * run at least once during the delay.
 */
class ShutdownTimingsTest {

    /** Time the JVM needs after the last phase (shutdown hooks, closing pools, flushing logs). */
    static final Duration MARGIN = Duration.ofSeconds(5);

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void terminationGracePeriodCoversTheOrderlyStop(String overlay) {
        KustomizeOverlaysTest.Rendered r = KustomizeOverlaysTest.render(overlay);
        for (String service : Repo.services()) {
            Properties p = properties(service);
            assertThat(p.getProperty("quarkus.shutdown.delay-enabled")).as("%s quarkus.shutdown.delay-enabled", service)
                    .isEqualTo("true");
            Duration delay = duration(p, "quarkus.shutdown.delay", service);
            Duration timeout = duration(p, "quarkus.shutdown.timeout", service);
            Duration handover = service.equals("rotation-service")
                    ? duration(p, "rotation-service.worker.shutdown-wait", service) : Duration.ZERO;
            Duration needed = delay.plus(timeout).plus(handover).plus(MARGIN);

            PodSpec pod = r.deployment(service).getSpec().getTemplate().getSpec();
            assertThat(pod.getTerminationGracePeriodSeconds())
                    .as("%s terminationGracePeriodSeconds (%s): delay %s + timeout %s + run handover %s + margin %s",
                            service, overlay, delay, timeout, handover, MARGIN)
                    .isNotNull().isGreaterThanOrEqualTo(needed.toSeconds());

            Container c = KustomizeOverlaysTest.mainContainer(r.deployment(service), service);
            assertThat(Duration.ofSeconds(c.getReadinessProbe().getPeriodSeconds()))
                    .as("%s readiness probe runs at least once during quarkus.shutdown.delay", service)
                    .isLessThanOrEqualTo(delay);
            assertThat(delay).as("%s shutdown delay", service).isPositive();
        }
    }

    static Properties properties(String service) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Repo.read(Repo.ROOT.resolve(service).resolve("src/main/resources/application.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static Duration duration(Properties p, String name, String service) {
        String value = p.getProperty(name);
        assertThat(value).as("%s sets %s (the manifests' timings depend on it)", service, name).isNotNull();
        return value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value))
                : Duration.parse("PT" + value.toUpperCase());
    }
}
