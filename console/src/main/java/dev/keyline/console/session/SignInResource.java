package dev.keyline.console.session;

import java.net.URI;
import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyline.console.ConsoleConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The token sign-in: paste the token {@code ./run-local} printed (or one from your identity
 * provider). The token goes into a server-side session; the browser gets an opaque HttpOnly,
 * SameSite=Strict cookie.
 */
@Path("/")
public class SignInResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(String error, String csrf);
    }

    @Inject
    ConsoleSessions sessions;

    @Inject
    ConsoleConfig config;

    @Inject
    ObjectMapper json;

    @GET
    @Path("sign-in")
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        String csrf = sessions.randomToken();
        return Response.ok(Templates.signIn(null, csrf).render()).cookie(cookie(SignInFilter.SIGN_IN_COOKIE, csrf, 600))
                .build();
    }

    @POST
    @Path("sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@RestForm String token) {
        SignInToken signIn;
        try {
            signIn = SignInToken.read(token, json, Instant.now());
        } catch (SignInToken.Refused e) {
            String csrf = sessions.randomToken();
            return Response.status(400).entity(Templates.signIn(e.getMessage(), csrf).render())
                    .cookie(cookie(SignInFilter.SIGN_IN_COOKIE, csrf, 600)).build();
        }
        String id = sessions.open(signIn);
        return Response.seeOther(URI.create("/")).cookie(cookie(config.session().cookieName(), id, -1),
                cookie(SignInFilter.SIGN_IN_COOKIE, "", 0)).build();
    }

    @POST
    @Path("sign-out")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    public Response signOut(@Context HttpHeaders headers) {
        Cookie c = headers.getCookies().get(config.session().cookieName());
        sessions.close(c == null ? null : c.getValue());
        return Response.seeOther(URI.create("/sign-in")).cookie(cookie(config.session().cookieName(), "", 0)).build();
    }

    private NewCookie cookie(String name, String value, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true).secure(config.session().secureCookie())
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
