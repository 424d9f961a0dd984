package dev.keyline.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.keyline.console.ConsoleConfig;

/** One subject signing in again and again pushes out its own sessions, never another person's. */
class ConsoleSessionsTest {

    private final ConsoleSessions sessions = new ConsoleSessions(config(100, 2));

    @Test
    void aSubjectKeepsAtMostItsShareAndLosesItsOwnLeastRecentlyUsedSession() {
        String alices = sessions.open(token("alice"));
        String first = sessions.open(token("mallory"));
        String second = sessions.open(token("mallory"));
        assertThat(sessions.find(first)).isPresent(); // now the more recently used of mallory's two
        for (int i = 0; i < 50; i++) {
            sessions.open(token("mallory"));
        }
        assertThat(sessions.find(alices)).as("another person's session").isPresent();
        assertThat(sessions.find(second)).isEmpty();
        assertThat(sessions.find(first)).isEmpty();
    }

    @Test
    void theStoreStillDropsTheLeastRecentlyUsedBeyondItsSize() {
        ConsoleSessions small = new ConsoleSessions(config(2, 20));
        String a = small.open(token("a"));
        String b = small.open(token("b"));
        assertThat(small.find(a)).isPresent();
        small.open(token("c"));
        assertThat(small.find(a)).isPresent();
        assertThat(small.find(b)).isEmpty();
    }

    @Test
    void signingInAgainEndsTheSessionTheBrowserHeld() {
        String alices = sessions.open(token("alice"));
        String bobs = sessions.open(token("bob"));
        String next = sessions.open(token("nora"), alices);
        assertThat(sessions.find(alices)).as("the replaced session").isEmpty();
        assertThat(sessions.find(next)).isPresent();
        assertThat(sessions.find(bobs)).as("another browser's session").isPresent();
        assertThat(sessions.find(sessions.open(token("nora"), "no-such-session"))).isPresent();
    }

    static SignInToken token(String subject) {
        return new SignInToken("token-of-" + subject, subject, Instant.now().plusSeconds(3600));
    }

    static ConsoleConfig config(int maxSessions, int maxPerSubject) {
        ConsoleConfig.Session session = (ConsoleConfig.Session) Proxy.newProxyInstance(
                ConsoleSessionsTest.class.getClassLoader(), new Class<?>[] { ConsoleConfig.Session.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "maxSessions" -> maxSessions;
                    case "maxPerSubject" -> maxPerSubject;
                    case "idleTimeout" -> Duration.ofHours(8);
                    case "cookieName" -> "keyline-session";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ConsoleConfig) Proxy.newProxyInstance(ConsoleSessionsTest.class.getClassLoader(),
                new Class<?>[] { ConsoleConfig.class }, (proxy, method, args) -> {
                    if (method.getName().equals("session")) {
                        return session;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
