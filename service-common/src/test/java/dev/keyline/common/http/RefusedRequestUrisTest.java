package dev.keyline.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A refused request's client-chosen path never becomes a metrics label; served requests keep theirs. */
class RefusedRequestUrisTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    RefusedRequestUrisTest() {
        registry.config().meterFilter(new RefusedRequestUris().refusedRequestUris());
    }

    @Test
    void refusalsShareOneUriLabel() {
        for (String status : new String[] { "401", "405", "408", "413", "414", "431" }) {
            Timer timer = request(status, "/zzz" + "z".repeat(4000));
            assertThat(timer.getId().getTag("uri")).as(status).isEqualTo(RefusedRequestUris.LABEL);
            assertThat(timer.getId().getTag("status")).isEqualTo(status);
            assertThat(timer.getId().getTag("method")).isEqualTo("GET");
        }
    }

    @Test
    void otherAnswersKeepTheirUri() {
        assertThat(request("200", "/api/v1/certificates/{id}").getId().getTag("uri")).isEqualTo("/api/v1/certificates/{id}");
        assertThat(request("400", "/api/v1/certificates").getId().getTag("uri")).isEqualTo("/api/v1/certificates");
        assertThat(registry.timer("other.timer", "status", "414", "uri", "/x").getId().getTag("uri")).isEqualTo("/x");
    }

    private Timer request(String status, String uri) {
        return registry.timer("http.server.requests", "method", "GET", "status", status, "uri", uri, "outcome", "CLIENT_ERROR");
    }
}
