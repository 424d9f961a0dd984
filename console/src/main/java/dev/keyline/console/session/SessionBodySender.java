package dev.keyline.console.session;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyline.console.ConsoleConfig;
import dev.keyline.http.BodySender;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.vertx.core.MultiMap;

/**
 * Who sends a form to the console: the person whose session the cookie names, or "anonymous" for everyone
 * else (the sign-in form, a form sent after the session ended). http-limits' {@code RequestBodyDeadline}
 * then holds each sender's bodies being received to its share of the buffered bytes: before, everyone shared
 * one 64 MiB, and a client without a session sending slow bodies could fill it and make every signed-in
 * person's form 503 for up to 30 s; now such clients share one quarter among themselves. Nobody is refused
 * here: the console answers an unsigned request itself (a redirect to the sign-in page, not a 401).
 */
@ApplicationScoped
public class SessionBodySender implements BodySender {

    /** The sender of every body without a live session: a name no subject can have ("session:" prefixes those). */
    static final String ANONYMOUS = "anonymous";

    private final ConsoleSessions sessions;
    private final String cookieName;

    public SessionBodySender(ConsoleSessions sessions, ConsoleConfig config) {
        this.sessions = sessions;
        this.cookieName = config.session().cookieName();
    }

    @Override
    public Optional<String> verify(MultiMap headers) {
        return Optional.of(known(headers));
    }

    /** Always known: an in-memory lookup, done on the event loop. */
    @Override
    public String known(MultiMap headers) {
        for (String header : headers.getAll("Cookie")) {
            for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
                if (cookieName.equals(cookie.name())) {
                    Optional<String> subject = sessions.subjectOf(cookie.value());
                    if (subject.isPresent()) {
                        return "session:" + subject.get();
                    }
                }
            }
        }
        return ANONYMOUS;
    }
}
