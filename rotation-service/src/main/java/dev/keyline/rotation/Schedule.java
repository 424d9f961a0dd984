package dev.keyline.rotation;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * When a policy is due: an ISO-8601 period/duration ({@code P90D}, {@code PT12H}; at least one
 * hour) or a Quartz cron expression (as quarkus-scheduler reads it), optionally moved into a daily
 * window ({@code 02:00}–{@code 05:00} in a zone; a window may cross midnight).
 */
public final class Schedule {

    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final Duration every;
    private final ExecutionTime cron;
    private final LocalTime windowStart;
    private final LocalTime windowEnd;
    private final ZoneId zone;

    private Schedule(Duration every, ExecutionTime cron, LocalTime windowStart, LocalTime windowEnd, ZoneId zone) {
        this.every = every;
        this.cron = cron;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException naming the field ("schedule", "window.start", …) in its message prefix */
    public static Schedule parse(String expression, String windowStart, String windowEnd, String windowZone) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("schedule: is required (cron expression or ISO-8601 period such as P90D)");
        }
        String e = expression.trim();
        Duration every = null;
        ExecutionTime cron = null;
        if (e.startsWith("P") || e.startsWith("p")) {
            every = isoDuration(e);
            if (every.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("schedule: period must be at least one hour (PT1H)");
            }
        } else {
            try {
                cron = ExecutionTime.forCron(CRON.parse(e));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("schedule: not a valid Quartz cron expression (e.g. 0 0 3 1 * ?)");
            }
        }
        LocalTime start = null;
        LocalTime end = null;
        ZoneId zone = java.time.ZoneOffset.UTC;
        if (windowStart != null || windowEnd != null) {
            start = time("window.start", windowStart);
            end = time("window.end", windowEnd);
            if (start.equals(end)) {
                throw new IllegalArgumentException("window.end: must differ from window.start");
            }
            if (windowZone != null && !windowZone.isBlank()) {
                try {
                    zone = ZoneId.of(windowZone);
                } catch (DateTimeException ex) {
                    throw new IllegalArgumentException("window.zone: not a known time zone (e.g. Europe/Berlin, UTC)");
                }
            }
        }
        return new Schedule(every, cron, start, end, zone);
    }

    private static Duration isoDuration(String e) {
        try {
            if (e.toUpperCase().contains("T")) {
                return Duration.parse(e);
            }
            Period p = Period.parse(e);
            return Duration.ofDays(p.getYears() * 365L + p.getMonths() * 30L + p.getDays());
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("schedule: not a valid ISO-8601 period (e.g. P90D, PT12H)");
        }
    }

    private static LocalTime time(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": is required when a window is given (HH:mm)");
        }
        try {
            return LocalTime.parse(value);
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException(field + ": must be HH:mm");
        }
    }

    /** The next due time after the last rotation (or after {@code now} for cron schedules), moved into the window. */
    public Instant nextDue(Instant lastRotation, Instant now) {
        Instant due;
        if (every != null) {
            due = lastRotation == null ? now : lastRotation.plus(every);
        } else {
            Optional<ZonedDateTime> next = cron.nextExecution(now.atZone(zone));
            due = next.map(ZonedDateTime::toInstant).orElse(now.plus(Duration.ofDays(3650)));
        }
        return intoWindow(due);
    }

    Instant intoWindow(Instant due) {
        if (windowStart == null) {
            return due;
        }
        ZonedDateTime t = due.atZone(zone);
        LocalTime lt = t.toLocalTime();
        boolean inside = windowStart.isBefore(windowEnd)
                ? !lt.isBefore(windowStart) && lt.isBefore(windowEnd)
                : !lt.isBefore(windowStart) || lt.isBefore(windowEnd);
        if (inside) {
            return due;
        }
        ZonedDateTime start = t.with(windowStart);
        if (!start.isAfter(t)) {
            start = start.plusDays(1);
        }
        return start.toInstant();
    }
}
