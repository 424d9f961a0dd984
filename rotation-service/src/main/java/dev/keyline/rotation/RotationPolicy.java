package dev.keyline.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A connection's rotation schedule and parameters. */
public class RotationPolicy {
    public UUID id;
    public UUID connectionId;
    public String account;
    public String snowflakeUser;
    public String schedule;
    public String windowStart;
    public String windowEnd;
    public String windowZone;
    public int keySize = 2048;
    public Duration gracePeriod = Duration.ZERO;
    public int maxAttempts = 5;
    public boolean enabled = true;
    /** Why the service disabled it by itself (e.g. "connection deleted"); null when enabled or disabled by a person. */
    public String disabledReason;
    public Instant nextDueAt;
    public Instant lastRotatedAt;
    public Instant createdAt;
    public String createdBy;
    public Instant updatedAt;
    public String updatedBy;
    /** Bumped by every update; clients send it back in If-Match. */
    public long version;

    public Schedule parsedSchedule() {
        return Schedule.stored(schedule, windowStart, windowEnd, windowZone);
    }
}
