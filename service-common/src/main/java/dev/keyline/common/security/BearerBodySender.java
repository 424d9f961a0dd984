package dev.keyline.common.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import dev.keyline.http.BodySender;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.MultiMap;

/**
 * The sender of a request body is the subject of its bearer token, verified exactly as the request's
 * authentication will verify it (the same {@link JWTParser}, so {@link IssuerSelectingPrincipalFactory}'s
 * two issuers and rules, and its cache of tokens verified a moment ago: the later check costs nothing).
 * Every request with a body to these services needs a token, so one without a valid token is refused
 * before its body is read (http-limits' {@code RequestBodyDeadline}).
 */
@ApplicationScoped
public class BearerBodySender implements BodySender {

    private static final Logger LOG = Logger.getLogger(BearerBodySender.class);
    private static final String BEARER = "Bearer ";

    @Inject
    JWTParser parser;

    @Inject
    IssuerSelectingPrincipalFactory principals;

    @Override
    public Optional<String> verify(MultiMap headers) {
        String bearer = bearer(headers);
        if (bearer == null) {
            return Optional.empty();
        }
        try {
            JsonWebToken token = parser.parse(bearer);
            return named(token);
        } catch (ParseException | RuntimeException e) {
            // Never the token or the library's message (it may quote claims): the type is enough to debug.
            LOG.debugf("A request body's bearer token was refused: %s", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** A token verified a moment ago (most requests: a caller sends the token it holds for minutes) needs no worker. */
    @Override
    public String known(MultiMap headers) {
        String bearer = bearer(headers);
        return bearer == null ? null : named(principals.remembered(bearer)).orElse(null);
    }

    private static String bearer(MultiMap headers) {
        String authorization = headers.get("Authorization");
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).strip();
    }

    private static Optional<String> named(JsonWebToken token) {
        return Optional.ofNullable(token).map(JsonWebToken::getName).filter(name -> !name.isBlank());
    }
}
