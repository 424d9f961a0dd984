package dev.keyline.connection.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The idle-session bookkeeping alone, with a hand-moved clock and closes run at once. */
class KeyAdminSessionsTest {

    /** A stand-in session that records whether it was closed. */
    static final class Fake implements AutoCloseable {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    private final AtomicLong now = new AtomicLong();
    private final UUID admin = UUID.randomUUID();
    private final KeyAdminSessions.Key key = new KeyAdminSessions.Key(admin, 3, 1, "SHA256:a");

    private KeyAdminSessions<Fake> sessions(int maxIdle, int maxIdleTotal) {
        return new KeyAdminSessions<>(maxIdle, maxIdleTotal, Duration.ofSeconds(60), Runnable::run, now::get);
    }

    @Test
    void aReturnedSessionIsHandedOutAgainMostRecentFirst() {
        KeyAdminSessions<Fake> sessions = sessions(4, 64);
        Fake older = new Fake();
        Fake newer = new Fake();
        sessions.put(key, older);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        sessions.put(key, newer);

        assertThat(sessions.take(key)).isSameAs(newer);
        assertThat(sessions.take(key)).isSameAs(older);
        assertThat(sessions.take(key)).isNull();
        assertThat(older.closed || newer.closed).isFalse();
    }

    @Test
    void aSessionIdleForTheIdleTimeIsClosedNotHandedOut() {
        KeyAdminSessions<Fake> sessions = sessions(4, 64);
        Fake idle = new Fake();
        sessions.put(key, idle);
        now.addAndGet(Duration.ofSeconds(60).toNanos());

        assertThat(sessions.take(key)).isNull();
        assertThat(idle.closed).isTrue();
        assertThat(sessions.idle()).isZero();
    }

    @Test
    void theSweepClosesSessionsIdleTooLongAndKeepsYoungerOnes() {
        KeyAdminSessions<Fake> sessions = sessions(4, 64);
        Fake old = new Fake();
        sessions.put(key, old);
        now.addAndGet(Duration.ofSeconds(50).toNanos());
        Fake young = new Fake();
        sessions.put(key, young);
        now.addAndGet(Duration.ofSeconds(15).toNanos());

        assertThat(sessions.sweep()).isEqualTo(1);
        assertThat(old.closed).isTrue();
        assertThat(young.closed).isFalse();
        assertThat(sessions.take(key)).isSameAs(young);
    }

    @Test
    void beyondTheLimitsSessionsAreClosed() {
        KeyAdminSessions<Fake> sessions = sessions(2, 3);
        Fake[] mine = { new Fake(), new Fake(), new Fake() };
        for (Fake f : mine) {
            sessions.put(key, f);
        }
        assertThat(mine[2].closed).as("third of one connection, limit 2").isTrue();

        KeyAdminSessions.Key other = new KeyAdminSessions.Key(UUID.randomUUID(), 1, 1, "SHA256:b");
        Fake third = new Fake();
        Fake fourth = new Fake();
        sessions.put(other, third);
        sessions.put(other, fourth);
        assertThat(third.closed).isFalse();
        assertThat(fourth.closed).as("fourth in all, limit 3").isTrue();
        assertThat(sessions.idle()).isEqualTo(3);
    }

    @Test
    void aNewerKeyOfTheConnectionClosesTheOldSessionsAndAnOlderOneGetsNone() {
        KeyAdminSessions<Fake> sessions = sessions(4, 64);
        Fake before = new Fake();
        sessions.put(key, before);

        KeyAdminSessions.Key swapped = new KeyAdminSessions.Key(admin, 4, 2, "SHA256:c");
        assertThat(sessions.take(swapped)).isNull();
        assertThat(before.closed).isTrue();

        Fake after = new Fake();
        sessions.put(swapped, after);
        assertThat(sessions.take(key)).as("a request that read the row before the swap").isNull();
        assertThat(after.closed).isFalse();
        Fake late = new Fake();
        sessions.put(key, late);
        assertThat(late.closed).as("returned by a request that read the old row").isTrue();
        assertThat(sessions.take(swapped)).isSameAs(after);
    }

    @Test
    void forgetClosesTheConnectionsSessionsAndDrainAllHandsOverTheRest() {
        KeyAdminSessions<Fake> sessions = sessions(4, 64);
        Fake mine = new Fake();
        Fake theirs = new Fake();
        KeyAdminSessions.Key other = new KeyAdminSessions.Key(UUID.randomUUID(), 1, 1, "SHA256:b");
        sessions.put(key, mine);
        sessions.put(other, theirs);

        sessions.forget(admin);
        assertThat(mine.closed).isTrue();
        assertThat(sessions.take(key)).isNull();
        assertThat(sessions.drainAll()).containsExactly(theirs);
        assertThat(sessions.idle()).isZero();
    }

    @Test
    void withMaxIdleZeroNothingIsKept() {
        KeyAdminSessions<Fake> sessions = sessions(0, 64);
        Fake f = new Fake();
        sessions.put(key, f);
        assertThat(sessions.enabled()).isFalse();
        assertThat(f.closed).isTrue();
        assertThat(sessions.take(key)).isNull();
    }
}
