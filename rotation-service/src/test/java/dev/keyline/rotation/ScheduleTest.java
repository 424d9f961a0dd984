package dev.keyline.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void cronIsDueStrictlyAfterNowEvenWithinTheSecondItFired() {
        Schedule daily = Schedule.parse("0 0 3 * * ?", null, null, null);
        Instant fired = Instant.parse("2026-11-22T03:00:00Z");
        // The scheduler reads "now" a few milliseconds into the second the cron fired in.
        assertThat(daily.nextDue(null, fired.plusMillis(50))).isEqualTo(Instant.parse("2026-11-23T03:00:00Z"));
        assertThat(daily.nextDue(null, fired)).isEqualTo(Instant.parse("2026-11-23T03:00:00Z"));
        assertThat(daily.nextDue(null, fired.minusMillis(1))).isEqualTo(fired);
    }

    @Test
    void oneShotCronIsNotDueAgainAfterItFired() {
        Schedule once = Schedule.stored("7 30 12 22 11 ? 2026", null, null, null); // fired already: as read back
        Instant fired = Instant.parse("2026-11-22T12:30:07Z");
        assertThat(once.nextDue(null, fired.minusSeconds(5))).isEqualTo(fired);
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            Instant now = fired.plusNanos(i < 1000 ? i * 1_000_000L : random.nextInt(1_000_000_000));
            assertThat(once.nextDue(null, now)).as("%s after it fired", Duration.between(fired, now))
                    .isAfter(now.plus(Duration.ofDays(365)));
        }
    }

    @Test
    void periodCountsFromTheLastRotation() {
        Schedule p90 = Schedule.parse("P90D", null, null, null);
        Instant last = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(p90.nextDue(last, Instant.parse("2026-02-01T00:00:00Z"))).isEqualTo(last.plus(Duration.ofDays(90)));
    }

    @Test
    void badSchedulesNameTheField() {
        assertThatThrownBy(() -> Schedule.parse("PT30M", null, null, null)).hasMessageStartingWith("schedule:")
                .hasMessageContaining("one hour");
        assertThatThrownBy(() -> Schedule.parse("not a cron", null, null, null)).hasMessageStartingWith("schedule:");
    }

    /** Unix cron is what most people write: the answer gives its Quartz form, and that form is a valid schedule. */
    @Test
    void unixCronIsAnsweredWithItsQuartzForm() {
        assertThatThrownBy(() -> Schedule.parse("0 3 * * *", null, null, null))
                .hasMessage("schedule: is Unix cron (5 fields); a schedule is a Quartz cron expression: seconds first, "
                        + "and '?' in day-of-month or day-of-week, e.g. \"0 0 3 * * ?\" for this one");
        assertThat(Schedule.parse("0 0 3 * * ?", null, null, null)).isNotNull();
        assertThatThrownBy(() -> Schedule.parse("30 2 * * MON-FRI", null, null, null))
                .hasMessageContaining("\"0 30 2 ? * MON-FRI\"").hasMessageContaining("1-7 from Sunday");
        assertThat(Schedule.parse("0 30 2 ? * MON-FRI", null, null, null)).isNotNull();
        assertThatThrownBy(() -> Schedule.parse("0 0 3 1 * * * *", null, null, null))
                .hasMessageContaining("6 or 7 fields");
    }
}
