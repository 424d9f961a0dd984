package dev.keyline.rotation;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
    /** The shortest time between two rotations a schedule may ask for, period or cron. */
    static final Duration MIN_INTERVAL = Duration.ofHours(1);
    /** The longest period accepted: keys are rotated, not kept forever. */
    static final Duration MAX_INTERVAL = Duration.ofDays(3650);
    /** Longer than any sensible cron or ISO-8601 period; refused before a parser runs. */
    static final int MAX_EXPRESSION_LENGTH = 200;
    /**
     * How many consecutive firings the gap check looks at, and over what horizon. A cron is the
     * product of its field sets, so two firings less than an hour apart exist at all only if two
     * fall in the same hour of one firing day (or across one DST change): the first firings show
     * it. The horizon (from the first firing after now: firings in the past do not matter) covers 29 February
     * schedules; the count keeps the check cheap for hourly ones.
     */
    private static final int GAP_CHECK_FIRINGS = 400;
    private static final Duration GAP_CHECK_HORIZON = Duration.ofDays(4 * 366 + 1);

    /** A window's start and end are stored as written, {@code HH:mm}. */
    private static final int WINDOW_TIME_LENGTH = 5;

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

    /**
     * Parses a new schedule: as {@link #stored} and, for cron, refuses one whose firings come less
     * than an hour apart, the same minimum as a period, or that never fires again, and a window that
     * names only its zone.
     *
     * @throws IllegalArgumentException naming the field ("schedule", "window.start", …) in its message prefix
     */
    public static Schedule parse(String expression, String windowStart, String windowEnd, String windowZone) {
        if (windowStart == null && windowEnd == null && windowZone != null && !windowZone.isBlank()) {
            // A zone alone used to be stored and ignored: the caller meant a window and got none.
            throw new IllegalArgumentException("window.start: is required when a window is given (HH:mm)");
        }
        Schedule schedule = stored(expression, windowStart, windowEnd, windowZone);
        if (schedule.cron != null) {
            Instant now = Instant.now();
            if (schedule.cron.nextExecution(now.atZone(schedule.zone)).isEmpty()) {
                // 30 February, or only years gone by: an enabled policy that never rotates, due in ten
                // years (nextDue's fallback), so no overdue alert would ever say so.
                throw new IllegalArgumentException("schedule: never fires from now on (no such date, or its years are past)");
            }
            Duration gap = schedule.shortestCronGap(now);
            if (gap != null && gap.compareTo(MIN_INTERVAL) < 0) {
                throw new IllegalArgumentException("schedule: fires " + describe(gap)
                        + " apart; a schedule must leave at least one hour (PT1H) between rotations");
            }
        }
        return schedule;
    }

    /**
     * Parses a schedule read back from storage. It skips the minimum-gap check for cron, so a policy
     * stored before that rule existed keeps being scheduled instead of failing every scheduler tick.
     */
    /**
     * Why a cron expression was refused. Most people write Unix cron (five fields, {@code 0 3 * * *});
     * Quartz wants seconds first and a {@code ?} in day-of-month or day-of-week, so that case is
     * named with its Quartz form rather than left at "not valid".
     */
    static String cronHint(String expression) {
        String[] fields = expression.trim().split("\\s+");
        if (fields.length == 5) {
            String dayOfWeek = fields[4];
            boolean anyDayOfWeek = dayOfWeek.equals("*") || dayOfWeek.equals("?");
            String quartz = "0 " + fields[0] + " " + fields[1] + " " + (anyDayOfWeek ? fields[2] : "?") + " " + fields[3]
                    + " " + (anyDayOfWeek ? "?" : dayOfWeek);
            return "is Unix cron (5 fields); a schedule is a Quartz cron expression: seconds first, and '?' in "
                    + "day-of-month or day-of-week, e.g. \"" + quartz + "\" for this one"
                    + (anyDayOfWeek ? "" : " (Quartz numbers the days of the week 1-7 from Sunday, Unix 0-6: "
                            + "check the day, or use names such as MON-FRI)");
        }
        return "not a valid Quartz cron expression (6 or 7 fields: seconds minutes hours day-of-month month "
                + "day-of-week [year], '?' in one of the day fields; e.g. 0 0 3 1 * ?)";
    }

    public static Schedule stored(String expression, String windowStart, String windowEnd, String windowZone) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("schedule: is required (cron expression or ISO-8601 period such as P90D)");
        }
        if (expression.length() > MAX_EXPRESSION_LENGTH) {
            // Bounded before any parser (cron-utils, java.time) sees it.
            throw new IllegalArgumentException("schedule: is longer than " + MAX_EXPRESSION_LENGTH + " characters");
        }
        String e = expression.trim();
        Duration every = null;
        ExecutionTime cron = null;
        if (e.startsWith("P") || e.startsWith("p")) {
            every = isoDuration(e);
            if (every.compareTo(MIN_INTERVAL) < 0) {
                throw new IllegalArgumentException("schedule: period must be at least one hour (PT1H)");
            }
            if (every.compareTo(MAX_INTERVAL) > 0) {
                // Beyond this the due time could leave Instant's range (P999999999Y): a 500, not a schedule.
                throw new IllegalArgumentException("schedule: period must be at most ten years (P3650D)");
            }
        } else {
            try {
                cron = ExecutionTime.forCron(CRON.parse(e));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("schedule: " + cronHint(e));
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

    /**
     * The shortest time between two consecutive firings among the first {@link #GAP_CHECK_FIRINGS}
     * after {@code from} (within {@link #GAP_CHECK_HORIZON}); null when it fires at most once.
     * Also spans the DST changes of the schedule's zone, as the horizon covers whole years.
     */
    Duration shortestCronGap(Instant from) {
        Optional<ZonedDateTime> previous = cron.nextExecution(from.atZone(zone));
        if (previous.isEmpty()) {
            return null;
        }
        // From the first firing, not from now: "0 0/1 * * * ? 2031-2099" fires nothing for years, then
        // every minute; a horizon counted from now saw no firing and let it through.
        ZonedDateTime end = previous.get().plus(GAP_CHECK_HORIZON);
        Duration shortest = null;
        for (int i = 0; i < GAP_CHECK_FIRINGS && previous.isPresent() && previous.get().isBefore(end); i++) {
            Optional<ZonedDateTime> next = cron.nextExecution(previous.get());
            if (next.isEmpty()) {
                break;
            }
            Duration gap = Duration.between(previous.get(), next.get());
            if (shortest == null || gap.compareTo(shortest) < 0) {
                shortest = gap;
                if (shortest.compareTo(MIN_INTERVAL) < 0) {
                    return shortest;
                }
            }
            previous = next;
        }
        return shortest;
    }

    private static String describe(Duration gap) {
        long seconds = gap.getSeconds();
        return seconds < 60 ? seconds + " second(s)" : seconds / 60 + " minute(s)";
    }

    private static Duration isoDuration(String e) {
        try {
            if (e.toUpperCase().contains("T")) {
                return Duration.parse(e);
            }
            Period p = Period.parse(e);
            return Duration.ofDays(p.getYears() * 365L + p.getMonths() * 30L + p.getDays());
        } catch (DateTimeParseException | ArithmeticException ex) {
            throw new IllegalArgumentException("schedule: not a valid ISO-8601 period (e.g. P90D, PT12H)");
        }
    }

    private static LocalTime time(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": is required when a window is given (HH:mm)");
        }
        if (value.length() != WINDOW_TIME_LENGTH) {
            // LocalTime also reads 02:00:30 and 02:00:00.5, which the window columns (HH:mm) cannot hold:
            // they were a 500 at the insert.
            throw new IllegalArgumentException(field + ": must be HH:mm");
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

    /**
     * {@code due} if it falls inside the daily window (local time of the window's zone, start
     * inclusive, end exclusive; a window whose end is before its start spans midnight), otherwise the
     * window's next opening. The opening is found from the local date, never by adding a day to an
     * instant: on a day whose start time falls in a DST gap (Europe/Berlin 02:00–03:00 on the last
     * Sunday of March) the window opens at the first instant after the gap, and the next day it opens
     * at its own start time again. In a DST overlap (the hour that happens twice in October) the
     * earlier of the two instants is taken, and a due time in either is inside.
     */
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
        LocalDate day = t.toLocalDate();
        ZonedDateTime start = ZonedDateTime.of(day, windowStart, zone);
        if (!start.isAfter(t)) {
            start = ZonedDateTime.of(day.plusDays(1), windowStart, zone);
        }
        return start.toInstant();
    }
}
