package dev.keyline.http;

import java.util.Optional;

import io.vertx.core.MultiMap;

/**
 * Who sends a request body, told from the request's head before {@link RequestBodyDeadline} reads the
 * body. An app that authenticates every request with a body provides one bean of this type: a request
 * whose head names nobody it accepts is refused (401) before a byte of its body is held, and the bodies
 * being received at once are shared out per sender ({@code keyline.http.max-buffered-bytes-per-caller}),
 * so neither an anonymous client nor one caller can take the whole buffered-bytes budget. An app that serves
 * requests without credentials too (the console: its sign-in form) names those senders itself (one
 * "anonymous" sender) rather than leaving {@link #verify} empty, which answers 401. Without such a bean the
 * budget is shared by all requests.
 */
public interface BodySender {

    /**
     * The verified name of the caller sending a request with these headers, or empty when the head carries
     * no credentials the app accepts. Runs on a worker thread: verifying may block (a key set fetched from
     * the identity provider). Must not throw for bad credentials.
     */
    Optional<String> verify(MultiMap headers);

    /**
     * The verified name of the caller when it can be told without blocking, or null. Called on the event loop
     * before {@link #verify}: a sender whose credentials were verified a moment ago (the same bearer token on
     * a caller's next request) has its body read at once, without the two hand-offs to a worker thread and
     * back that {@link #verify} costs. Null means "not known here", never "refused": {@link #verify} decides.
     * Must not block or throw.
     */
    default String known(MultiMap headers) {
        return null;
    }
}
