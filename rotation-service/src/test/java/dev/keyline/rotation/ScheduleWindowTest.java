package dev.keyline.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/**
 * The daily rotation window (issue #12 item 5): windows that span midnight and the two DST changes
 * of Europe/Berlin in 2026 — spring forward on 29 March (02:00 CET → 03:00 CEST, 01:00Z) and fall
 * back on 25 October (03:00 CEST → 02:00 CET, 01:00Z). Expected instants are written in UTC with
 * the Berlin local time beside them.
 */
class ScheduleWindowTest {

    private static final String BERLIN = "Europe/Berlin";

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    private static Schedule window(String start, String end) {
        return Schedule.parse("P1D", start, end, BERLIN);
    }

    @Test
    void aWindowSpanningMidnightKeepsDueTimesInsideAndMovesOthersToTheNextOpening() {
        Schedule w = window("23:00", "01:00");
        // 22:30 CET: the window opens at 23:00 the same evening.
        assertThat(w.intoWindow(at("2026-01-10T21:30:00Z"))).isEqualTo(at("2026-01-10T22:00:00Z"));
        // 23:00 CET (start, inclusive) and 00:30 CET the next day: inside.
        assertThat(w.intoWindow(at("2026-01-10T22:00:00Z"))).isEqualTo(at("2026-01-10T22:00:00Z"));
        assertThat(w.intoWindow(at("2026-01-10T23:30:00Z"))).isEqualTo(at("2026-01-10T23:30:00Z"));
        // 01:00 CET is the end (exclusive), 01:30 after it: the next opening is 23:00 that day.
        assertThat(w.intoWindow(at("2026-01-11T00:00:00Z"))).isEqualTo(at("2026-01-11T22:00:00Z"));
        assertThat(w.intoWindow(at("2026-01-11T00:30:00Z"))).isEqualTo(at("2026-01-11T22:00:00Z"));
        // 12:00 CET on the 31st of a month: the opening is that evening, not a month later.
        assertThat(w.intoWindow(at("2026-01-31T11:00:00Z"))).isEqualTo(at("2026-01-31T22:00:00Z"));
        // The last evening of the year into the new year.
        assertThat(w.intoWindow(at("2026-12-31T20:00:00Z"))).isEqualTo(at("2026-12-31T22:00:00Z"));
        assertThat(w.intoWindow(at("2026-12-31T23:59:00Z"))).isEqualTo(at("2026-12-31T23:59:00Z"));
    }

    @Test
    void springForwardWindowStartingInTheGapOpensRightAfterItAndAtItsOwnTimeTheNextDay() {
        Schedule w = window("02:00", "05:00");
        // 01:30 CET on 29 March; 02:00 local does not exist that night: the window opens at 03:00 CEST,
        // the same instant 02:00 CET would have been.
        assertThat(w.intoWindow(at("2026-03-29T00:30:00Z"))).isEqualTo(at("2026-03-29T01:00:00Z"));
        // 03:30 CEST: inside.
        assertThat(w.intoWindow(at("2026-03-29T01:30:00Z"))).isEqualTo(at("2026-03-29T01:30:00Z"));
        // 05:30 CEST: after the window; the next day it opens at 02:00 CEST again (not 03:00, which
        // adding a day to the shifted opening gave: found by this test).
        assertThat(w.intoWindow(at("2026-03-29T03:30:00Z"))).isEqualTo(at("2026-03-30T00:00:00Z"));
        // The day before: 06:00 CET → 02:00 CEST on the 29th does not exist → 03:00 CEST.
        assertThat(w.intoWindow(at("2026-03-28T05:00:00Z"))).isEqualTo(at("2026-03-29T01:00:00Z"));
    }

    @Test
    void springForwardWindowSpanningMidnightAcrossTheGap() {
        Schedule w = window("23:30", "02:30");
        // 01:45 CET on the 29th (before the change): inside.
        assertThat(w.intoWindow(at("2026-03-29T00:45:00Z"))).isEqualTo(at("2026-03-29T00:45:00Z"));
        // 03:10 CEST: the window ended (02:30 never happened); the next opening is 23:30 CEST.
        assertThat(w.intoWindow(at("2026-03-29T01:10:00Z"))).isEqualTo(at("2026-03-29T21:30:00Z"));
    }

    @Test
    void fallBackWindowInTheRepeatedHourHoldsBothOccurrences() {
        Schedule w = window("02:00", "03:00");
        // 02:30 CEST (first time) and 02:30 CET (second time): both inside.
        assertThat(w.intoWindow(at("2026-10-25T00:30:00Z"))).isEqualTo(at("2026-10-25T00:30:00Z"));
        assertThat(w.intoWindow(at("2026-10-25T01:30:00Z"))).isEqualTo(at("2026-10-25T01:30:00Z"));
        // 01:00 CEST: opens at the first 02:00, CEST.
        assertThat(w.intoWindow(at("2026-10-24T23:00:00Z"))).isEqualTo(at("2026-10-25T00:00:00Z"));
        // 03:00 CET after the repeated hour: the next day, 02:00 CET.
        assertThat(w.intoWindow(at("2026-10-25T02:00:00Z"))).isEqualTo(at("2026-10-26T01:00:00Z"));
    }

    @Test
    void fallBackWindowSpanningMidnight() {
        Schedule w = window("22:00", "02:30");
        // 02:15 CET, the second time that night: inside.
        assertThat(w.intoWindow(at("2026-10-25T01:15:00Z"))).isEqualTo(at("2026-10-25T01:15:00Z"));
        // 02:45 CET: after it; 22:00 CET that evening.
        assertThat(w.intoWindow(at("2026-10-25T01:45:00Z"))).isEqualTo(at("2026-10-25T21:00:00Z"));
    }

    @Test
    void periodsAreExactDurationsAndLandInTheWindowAcrossTheChange() {
        Schedule w = window("02:00", "05:00");
        // Rotated 03:30 CET on the 28th; P1D is 24 hours: 04:30 CEST on the 29th, inside.
        Instant last = at("2026-03-28T02:30:00Z");
        assertThat(w.nextDue(last, last)).isEqualTo(last.plus(Duration.ofHours(24)));
        // Rotated 04:30 CEST on 24 October; 24 hours later is 03:30 CET on the 25th, inside.
        Instant october = at("2026-10-24T02:30:00Z");
        assertThat(w.nextDue(october, october)).isEqualTo(at("2026-10-25T02:30:00Z"));
    }

    @Test
    void cronFiresInTheWindowZoneOnBothSidesOfEachChange() {
        Schedule daily = Schedule.parse("0 0 3 * * ?", "02:00", "05:00", BERLIN);
        assertThat(daily.nextDue(null, at("2026-03-27T12:00:00Z"))).isEqualTo(at("2026-03-28T02:00:00Z")); // 03:00 CET
        assertThat(daily.nextDue(null, at("2026-03-28T12:00:00Z"))).isEqualTo(at("2026-03-29T01:00:00Z")); // 03:00 CEST
        assertThat(daily.nextDue(null, at("2026-10-24T12:00:00Z"))).isEqualTo(at("2026-10-25T02:00:00Z")); // 03:00 CET
        assertThat(daily.nextDue(null, at("2026-10-25T12:00:00Z"))).isEqualTo(at("2026-10-26T02:00:00Z"));
    }

    @Test
    void cronAtAnHourTheSpringGapSkipsStillLandsInTheWindow() {
        Schedule w = Schedule.parse("0 30 2 * * ?", "02:00", "05:00", BERLIN);
        Instant due = w.nextDue(null, at("2026-03-28T12:00:00Z"));
        // Whether the cron library moves 02:30 to after the gap or skips that day, the result is a
        // time inside the window, at most a day late.
        assertThat(due).isBetween(at("2026-03-29T01:00:00Z"), at("2026-03-30T00:30:00Z"));
        assertThat(w.intoWindow(due)).isEqualTo(due);
    }

    @Test
    void aZoneWithoutStartAndEndIsAFieldErrorNotAWindowSilentlyDropped() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Schedule.parse("P1D", null, null, BERLIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("window.start: is required");
        // One stored that way before is still read back (as no window), so its policy keeps being scheduled.
        Schedule stored = Schedule.stored("P1D", null, null, BERLIN);
        assertThat(stored.intoWindow(at("2026-01-10T21:30:00Z"))).isEqualTo(at("2026-01-10T21:30:00Z"));
    }

    /**
     * The window is stored as written in HH:mm columns: 02:00:30 (red-team finding) and 02:00:00.5 were
     * read by LocalTime, then a 500 at the insert; now a field error like any other wrong time.
     */
    @Test
    void aWindowTimeWithSecondsIsAFieldErrorNotA500AtTheInsert() {
        for (String start : new String[] { "02:00:30", "02:00:00.5", "2:00" }) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Schedule.parse("P1D", start, "05:00", BERLIN))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("window.start: must be HH:mm");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Schedule.parse("P1D", "02:00", "05:00:59", BERLIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("window.end: must be HH:mm");
    }
}
