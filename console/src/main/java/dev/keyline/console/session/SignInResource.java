package dev.keyline.console.session;

import java.net.URI;
import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyline.console.ConsoleConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Sign-in: with an identity provider configured ({@code console.oidc.issuer}), its
 * authorization-code flow ({@link OidcSignIn}); otherwise paste the token {@code ./run-local}
 * printed. Either way the token goes into a server-side session and the browser gets an opaque
 * HttpOnly, SameSite=Strict cookie.
 */
@Path("/")
public class SignInResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(String error, String csrf, boolean oidc, boolean tokenPaste);

        static native TemplateInstance signedIn();
    }

    @Inject
    ConsoleSessions sessions;

    @Inject
    ConsoleConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    OidcSignIn oidc;

    @Inject
    TokenAcceptance acceptance;

    /** Cookie binding the provider's callback to the browser that started the sign-in. */
    static final String OIDC_STATE_COOKIE = "keyline-console-oidc-state";

    @GET
    @Path("sign-in")
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        String csrf = sessions.randomToken();
        return Response.ok(page(null, csrf)).cookie(cookie(SignInFilter.SIGN_IN_COOKIE, csrf, 600)).build();
    }

    @POST
    @Path("sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@RestForm String token, @Context HttpHeaders headers) {
        if (!oidc.tokenPasteAllowed()) {
            return Response.status(404).build();
        }
        SignInToken signIn;
        try {
            signIn = SignInToken.read(token, json, Instant.now());
        } catch (SignInToken.Refused e) {
            return refused(400, e.getMessage());
        }
        switch (acceptance.check(signIn.value())) {
            case REFUSED -> {
                return refused(400, "no keyline service accepts this token (each answered 401): it is not signed by "
                        + "their issuer, is meant for other services, or has been revoked");
            }
            case UNCHECKED -> {
                return refused(503, "no keyline service answered, so the token could not be checked; try again shortly");
            }
            case ACCEPTED -> {
                // signed in below
            }
        }
        String id = sessions.open(signIn, cookieValue(headers, config.session().cookieName()));
        return Response.seeOther(URI.create("/")).cookie(cookie(config.session().cookieName(), id, -1),
                cookie(SignInFilter.SIGN_IN_COOKIE, "", 0)).build();
    }

    private static String cookieValue(HttpHeaders headers, String name) {
        Cookie c = headers.getCookies().get(name);
        return c == null ? null : c.getValue();
    }

    private Response refused(int status, String reason) {
        String csrf = sessions.randomToken();
        return Response.status(status).entity(page(reason, csrf)).cookie(cookie(SignInFilter.SIGN_IN_COOKIE, csrf, 600))
                .build();
    }

    /** Starts the authorization-code flow: off to the identity provider. */
    @GET
    @Path("oidc/sign-in")
    @Produces(MediaType.TEXT_HTML)
    public Response oidcSignIn(@Context UriInfo uri) {
        if (!oidc.enabled()) {
            return Response.status(404).build();
        }
        try {
            OidcSignIn.Start start = oidc.start(uri.getBaseUriBuilder().path("oidc/callback").build());
            return Response.seeOther(start.authorizationUrl())
                    .cookie(stateCookie(start.state(), 600)).build();
        } catch (OidcSignIn.Failed e) {
            return failed(e);
        }
    }

    /**
     * The provider's redirect back. The session cookie is SameSite=Strict, which a redirect chain
     * started at the provider would not send on to "/": a small page continues within the console.
     */
    @GET
    @Path("oidc/callback")
    @Produces(MediaType.TEXT_HTML)
    public Response oidcCallback(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @Context HttpHeaders headers) {
        if (!oidc.enabled()) {
            return Response.status(404).build();
        }
        Cookie bound = headers.getCookies().get(OIDC_STATE_COOKIE);
        try {
            if (error != null) {
                throw new OidcSignIn.Failed("the identity provider answered " + error);
            }
            SignInToken signIn = oidc.finish(code, state, bound == null ? null : bound.getValue());
            // The session cookie is SameSite=Strict: a browser coming back from the provider does not send it, so
            // a session this sign-in replaces ends by idling out (or at sign-out), not here.
            String id = sessions.open(signIn, cookieValue(headers, config.session().cookieName()));
            return Response.ok(Templates.signedIn().render()).cookie(cookie(config.session().cookieName(), id, -1),
                    stateCookie("", 0)).build();
        } catch (OidcSignIn.Failed e) {
            return failed(e);
        }
    }

    @POST
    @Path("sign-out")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    public Response signOut(@Context HttpHeaders headers) {
        sessions.close(cookieValue(headers, config.session().cookieName()));
        return Response.seeOther(URI.create("/sign-in")).cookie(cookie(config.session().cookieName(), "", 0)).build();
    }

    private Response failed(OidcSignIn.Failed e) {
        String csrf = sessions.randomToken();
        return Response.status(502).entity(page("Sign-in failed: " + e.getMessage(), csrf))
                .cookie(cookie(SignInFilter.SIGN_IN_COOKIE, csrf, 600), stateCookie("", 0)).build();
    }

    private String page(String error, String csrf) {
        return Templates.signIn(error, csrf, oidc.enabled(), oidc.tokenPasteAllowed()).render();
    }

    /** Lax, unlike the session cookie: it must come back on the provider's top-level redirect. */
    private NewCookie stateCookie(String value, int maxAge) {
        return new NewCookie.Builder(OIDC_STATE_COOKIE).value(value).path("/oidc/").httpOnly(true)
                .secure(config.session().secureCookie()).sameSite(NewCookie.SameSite.LAX).maxAge(maxAge).build();
    }

    private NewCookie cookie(String name, String value, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true).secure(config.session().secureCookie())
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
