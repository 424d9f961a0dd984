package dev.keyline.console.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyline.console.ConsoleConfig;

/**
 * Server-side sessions of the token sign-in: the browser holds only a random id in an HttpOnly,
 * SameSite=Strict cookie; the bearer token stays here, so no page, script or cookie ever carries it.
 * Sessions live in this process (a restart signs everyone out; several replicas need sticky
 * routing or the OIDC sign-in, which keeps its own encrypted session cookie).
 */
@ApplicationScoped
public class ConsoleSessions {

    /**
     * One signed-in person: the token forwarded to the services, who it says they are, and the
     * session's CSRF token that every form carries back.
     */
    public record Session(String token, String subject, Instant tokenExpiresAt, Instant lastUsed, String csrf) {

        Session touched(Instant now) {
            return new Session(token, subject, tokenExpiresAt, now, csrf);
        }

        @Override
        public String toString() {
            return "Session[subject=" + subject + "]";
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final ConsoleConfig config;
    private final Clock clock;
    // Access order: the eldest entry is the least recently used one.
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);

    public ConsoleSessions(ConsoleConfig config) {
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** Starts a session and answers its id, the cookie's value. */
    public synchronized String open(SignInToken token) {
        return open(token, null);
    }

    /**
     * Starts a session that replaces the one this browser held ({@code replaced}, its old cookie's value, or
     * null): that one ends here, instead of living on, signed in as the previous person, until it idled out
     * while its cookie was gone from the browser (a probe's finding: signing in as another person kept the
     * first session usable by anyone who had copied its cookie).
     */
    public synchronized String open(SignInToken token, String replaced) {
        close(replaced);
        String sessionId = randomToken();
        dropEldestOfSubjectBeyond(token.subject(), config.session().maxPerSubject() - 1);
        sessions.put(sessionId,
                new Session(token.value(), token.subject(), token.expiresAt(), clock.instant(), randomToken()));
        while (sessions.size() > config.session().maxSessions()) {
            Iterator<String> eldest = sessions.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return sessionId;
    }

    private void dropEldestOfSubjectBeyond(String subject, int keep) {
        int held = 0;
        for (Session s : sessions.values()) {
            if (s.subject().equals(subject)) {
                held++;
            }
        }
        // Access order: the first ones met are the subject's least recently used.
        for (Iterator<Session> it = sessions.values().iterator(); held > keep && it.hasNext();) {
            if (it.next().subject().equals(subject)) {
                it.remove();
                held--;
            }
        }
    }

    /** The live session with this id; an expired token or an idle session is forgotten. */
    public synchronized Optional<Session> find(String sessionId) {
        if (sessionId == null) {
            return Optional.empty();
        }
        Session s = sessions.get(sessionId);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(s.tokenExpiresAt()) || now.isAfter(s.lastUsed().plus(config.session().idleTimeout()))) {
            sessions.remove(sessionId);
            return Optional.empty();
        }
        Session touched = s.touched(now);
        sessions.put(sessionId, touched);
        return Optional.of(touched);
    }

    /**
     * Who the live session with this id belongs to, without extending its idle time (a request's head is not
     * yet a request the session made: {@link #find} does that when the request is served).
     */
    public synchronized Optional<String> subjectOf(String sessionId) {
        Session s = sessionId == null ? null : sessions.get(sessionId);
        Instant now = clock.instant();
        if (s == null || !now.isBefore(s.tokenExpiresAt()) || now.isAfter(s.lastUsed().plus(config.session().idleTimeout()))) {
            return Optional.empty();
        }
        return Optional.of(s.subject());
    }

    /** 256 random bits, base64url: session ids and CSRF tokens. */
    public String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public synchronized void close(String sessionId) {
        if (sessionId != null) {
            sessions.remove(sessionId);
        }
    }

}
