package dev.keyline.common.health;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.event.SmallRyeHealthStatusChangeEvent;

/**
 * Logs readiness and liveness when they change, one line per change: DOWN at WARN naming the checks
 * that failed and what they said, UP again at INFO.
 *
 * <p>Why: SmallRye Health logs the whole health document at INFO on every probe that finds the
 * service DOWN. Kubernetes probes every few seconds, so a Vault outage of ten minutes wrote hundreds
 * of identical lines and buried the two that matter: when it went down and when it came back. This
 * module's {@code microprofile-config.properties} sets that logger to WARN; the transitions come from
 * SmallRye's own change events, fired by the probe that saw the change (so nothing here runs checks).
 */
@ApplicationScoped
public class HealthTransitions {

    private static final Logger LOG = Logger.getLogger(HealthTransitions.class);

    void readiness(@Observes @Readiness SmallRyeHealthStatusChangeEvent event) {
        log("readiness", event.health());
    }

    void liveness(@Observes @Liveness SmallRyeHealthStatusChangeEvent event) {
        log("liveness", event.health());
    }

    private static void log(String kind, SmallRyeHealth health) {
        if (health.isDown()) {
            LOG.warnf("%s DOWN: %s", kind, String.join("; ", downChecks(health.getPayload())));
        } else {
            LOG.infof("%s UP", kind);
        }
    }

    /**
     * "name (key=value, ...)" of each DOWN check in a health document. The checks' data is what
     * /q/health answers anyway: the services' checks put no secret in it.
     */
    static List<String> downChecks(JsonObject payload) {
        List<String> down = new ArrayList<>();
        for (JsonValue value : payload.getJsonArray("checks")) {
            JsonObject check = value.asJsonObject();
            if (!"DOWN".equals(check.getString("status", ""))) {
                continue;
            }
            String name = check.getString("name", "?");
            JsonObject data = check.getJsonObject("data");
            if (data == null || data.isEmpty()) {
                down.add(name);
                continue;
            }
            List<String> pairs = new ArrayList<>();
            data.forEach((key, v) -> pairs.add(key + "=" + text(v)));
            down.add(name + " (" + String.join(", ", pairs) + ")");
        }
        return down.isEmpty() ? List.of("no check reported DOWN") : down;
    }

    private static String text(JsonValue v) {
        return v.getValueType() == JsonValue.ValueType.STRING ? ((jakarta.json.JsonString) v).getString() : v.toString();
    }
}
