package dev.keyline.console.session;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import dev.keyline.console.ConsoleConfig;

/**
 * Every page needs a signed-in person (the session cookie names a server-side session holding the
 * token), and every form post must carry its session's CSRF token. The sign-in form, before any
 * session exists, carries the value of its own short-lived cookie instead (double submit).
 */
public class SignInFilter {

    /** The hidden form field every form carries. */
    public static final String CSRF_FIELD = "csrf";
    /** Cookie of the sign-in page's CSRF value. */
    public static final String SIGN_IN_COOKIE = "keyline-console-sign-in";

    @Inject
    ConsoleSessions sessions;

    @Inject
    ConsoleConfig config;

    @Inject
    CurrentUser user;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> requireSignIn(ResteasyReactiveContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (isPublic(path)) {
            return Optional.empty();
        }
        Cookie cookie = request.getCookies().get(config.session().cookieName());
        Optional<ConsoleSessions.Session> session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session.isPresent()) {
            user.signIn(session.get().token(), session.get().subject(), session.get().csrf());
            return Optional.empty();
        }
        return Optional.of(Response.seeOther(URI.create("/sign-in")).build());
    }

    /** Runs once the form is read: a post without its session's token changes nothing. */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION, readBody = true)
    public Optional<Response> requireCsrfToken(ResteasyReactiveContainerRequestContext request) {
        if (!"POST".equals(request.getMethod())) {
            return Optional.empty();
        }
        String path = request.getUriInfo().getPath();
        String expected;
        if (path.equals("/sign-in") || path.startsWith("/oidc/")) {
            Cookie c = request.getCookies().get(SIGN_IN_COOKIE);
            expected = c == null ? null : c.getValue();
        } else {
            expected = user.getCsrf();
        }
        MediaType type = request.getMediaType();
        boolean form = type != null && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
        String sent = form ? formValue(request, CSRF_FIELD) : null;
        if (expected == null || sent == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(Response.status(403).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("This form expired or did not come from the console. Go back, reload the page and try again.")
                    .build());
        }
        return Optional.empty();
    }

    static boolean isPublic(String path) {
        return path.equals("/sign-in") || path.startsWith("/oidc/");
    }

    private static String formValue(ResteasyReactiveContainerRequestContext request, String name) {
        ResteasyReactiveRequestContext context = (ResteasyReactiveRequestContext) request.getServerRequestContext();
        Object value = context.getFormParameter(name, true, false);
        if (value instanceof FormValue fv) {
            return fv.isFileItem() ? null : fv.getValue();
        }
        return value instanceof String s ? s : null;
    }
}
