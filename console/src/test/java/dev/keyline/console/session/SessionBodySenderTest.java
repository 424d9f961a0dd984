package dev.keyline.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

/**
 * A form's sender is the person its session cookie names; everyone without a live session is one sender,
 * "anonymous", whose slow bodies then take one share of the buffered bytes, not the whole budget.
 */
class SessionBodySenderTest {

    private final ConsoleSessions sessions = new ConsoleSessions(ConsoleSessionsTest.config(100, 5));
    private final SessionBodySender sender = new SessionBodySender(sessions, ConsoleSessionsTest.config(100, 5));

    @Test
    void aLiveSessionsCookieNamesItsPerson() {
        String first = sessions.open(ConsoleSessionsTest.token("alice"));
        String second = sessions.open(ConsoleSessionsTest.token("alice"));
        String bobs = sessions.open(ConsoleSessionsTest.token("bob"));
        assertThat(sender.known(cookies("theme=dark; keyline-session=" + first))).isEqualTo("session:alice");
        // One person's sessions are one sender: signing in twice does not double the share.
        assertThat(sender.known(cookies("keyline-session=" + second))).isEqualTo("session:alice");
        assertThat(sender.known(cookies("keyline-session=" + bobs))).isEqualTo("session:bob");
        assertThat(sender.verify(cookies("keyline-session=" + bobs))).contains("session:bob");
    }

    @Test
    void everyoneWithoutALiveSessionIsAnonymousAndNeverRefused() {
        String closed = sessions.open(ConsoleSessionsTest.token("carol"));
        sessions.close(closed);
        assertThat(sender.known(MultiMap.caseInsensitiveMultiMap())).isEqualTo(SessionBodySender.ANONYMOUS);
        assertThat(sender.known(cookies("keyline-session=" + closed))).isEqualTo(SessionBodySender.ANONYMOUS);
        assertThat(sender.known(cookies("keyline-session=forged"))).isEqualTo(SessionBodySender.ANONYMOUS);
        assertThat(sender.known(cookies("other=" + sessions.open(ConsoleSessionsTest.token("dave")))))
                .as("another cookie's value").isEqualTo(SessionBodySender.ANONYMOUS);
        assertThat(sender.verify(MultiMap.caseInsensitiveMultiMap())).contains(SessionBodySender.ANONYMOUS);
    }

    private static MultiMap cookies(String header) {
        return MultiMap.caseInsensitiveMultiMap().add("Cookie", header);
    }
}
