package dev.keyline.console.rotations;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.qute.TemplateData;

/** rotation-service's view of a rotation policy. */
@TemplateData
@JsonIgnoreProperties(ignoreUnknown = true)
public record Policy(String id, String connectionId, String account, String user, String schedule, Window window,
        int keySize, String gracePeriod, int maxAttempts, boolean enabled, String disabledReason, Instant nextDueAt, Instant lastRotatedAt,
        Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {

    @TemplateData
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Window(String start, String end, String zone) {
    }

    public boolean overdue() {
        return enabled && nextDueAt != null && nextDueAt.isBefore(Instant.now());
    }
}
