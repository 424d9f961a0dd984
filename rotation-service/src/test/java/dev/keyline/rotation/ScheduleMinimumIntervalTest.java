package dev.keyline.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A cron schedule obeys the same one-hour minimum as a period; a stored one is still read back. */
class ScheduleMinimumIntervalTest {

    @ParameterizedTest
    @ValueSource(strings = { "* * * * * ?", "0 * * * * ?", "0 0/30 * * * ?", "0 0,59 3 * * ?", "0 0,1 * * * ?",
            "0-59 0 3 * * ?", "0 0/5 3 29 2 ?", "0 0,30 3 1 1 ?",
            // Firing first years from now: as densely then, so the gap is checked from the first firing.
            "0 0/1 * * * ? 2031-2099", "0 0,30 3 1 1 ? 2040", "* * * 29 2 ? 2096" })
    void cronFiringLessThanAnHourApartIsRefusedNamingTheSchedule(String cron) {
        assertThatThrownBy(() -> Schedule.parse(cron, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("schedule: fires ")
                .hasMessageContaining("at least one hour");
    }

    @ParameterizedTest
    @ValueSource(strings = { "0 0 * * * ?", "0 0 3 * * ?", "0 30 2 ? * SUN", "0 0 3 1 * ?", "0 0 3,4 * * ?",
            "0 0 3 29 2 ?", "7 30 12 22 11 ? 2099" })
    void hourlyOrRarerCronIsAccepted(String cron) {
        assertThat(Schedule.parse(cron, null, null, null)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "0 0 * * * ?", "0 30 1,2 * * ?" })
    void hourlyAcrossDaylightSavingChangesIsAccepted(String cron) {
        assertThat(Schedule.parse(cron, "00:00", "23:59", "Europe/Berlin")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "P999999999Y", "PT9999999999H", "P3651D" })
    void periodsBeyondTenYearsAreRefusedInsteadOfOverflowingTheDueTime(String period) {
        assertThatThrownBy(() -> Schedule.parse(period, null, null, null))
                .hasMessageStartingWith("schedule: period must be at most ten years");
    }

    @ParameterizedTest
    @ValueSource(strings = { "0 0 0 30 2 ?", "0 0 3 31 4 ?", "0 0 3 1 1 ? 2020", "0 0 3 ? 2 MON#5 2021-2023" })
    void cronThatNeverFiresAgainIsRefused(String cron) {
        assertThatThrownBy(() -> Schedule.parse(cron, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("schedule: never fires");
        assertThat(Schedule.stored(cron, null, null, null)).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void aStoredSubHourCronIsStillReadBack() {
        assertThat(Schedule.stored("* * * * * ?", null, null, null)).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void overlongExpressionsAreRefusedBeforeAnyParser() {
        assertThatThrownBy(() -> Schedule.parse("0 ".repeat(30_000), null, null, null))
                .hasMessageStartingWith("schedule: is longer than 200");
    }
}
