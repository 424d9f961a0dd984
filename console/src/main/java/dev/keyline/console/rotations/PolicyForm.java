package dev.keyline.console.rotations;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.keyline.console.web.FormValues;
import io.quarkus.qute.TemplateData;

/** The policy form's fields, as typed (re-shown with the service's field errors). */
@TemplateData
public record PolicyForm(String connectionId, String schedule, String windowStart, String windowEnd, String windowZone,
        String keySize, String gracePeriod, String maxAttempts, boolean enabled) {

    public static PolicyForm empty() {
        return new PolicyForm("", "P90D", "", "", "", "2048", "PT1H", "5", true);
    }

    public static PolicyForm of(Policy p) {
        Policy.Window w = p.window();
        return new PolicyForm(p.connectionId(), p.schedule(), w == null ? "" : nz(w.start()), w == null ? "" : nz(w.end()),
                w == null ? "" : nz(w.zone()), Integer.toString(p.keySize()), p.gracePeriod(),
                Integer.toString(p.maxAttempts()), p.enabled());
    }

    /** The key sizes rotation-service accepts. */
    public java.util.List<String> keySizes() {
        return java.util.List.of("2048", "3072", "4096");
    }

    /** rotation-service's PolicyRequest JSON. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connectionId", FormValues.text(connectionId));
        body.put("schedule", FormValues.text(schedule));
        if (!isBlank(windowStart) || !isBlank(windowEnd) || !isBlank(windowZone)) {
            Map<String, Object> window = new LinkedHashMap<>();
            window.put("start", FormValues.text(windowStart));
            window.put("end", FormValues.text(windowEnd));
            window.put("zone", FormValues.text(windowZone));
            body.put("window", window);
        }
        body.put("keySize", number(keySize));
        body.put("gracePeriod", FormValues.text(gracePeriod));
        body.put("maxAttempts", number(maxAttempts));
        body.put("enabled", enabled);
        return body;
    }

    public PolicyForm withEnabled(boolean value) {
        return new PolicyForm(connectionId, schedule, windowStart, windowEnd, windowZone, keySize, gracePeriod,
                maxAttempts, value);
    }

    /** A number as typed; text that is not one goes as text so the service names the field. */
    private static Object number(String s) {
        if (isBlank(s)) {
            return null;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }


    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
