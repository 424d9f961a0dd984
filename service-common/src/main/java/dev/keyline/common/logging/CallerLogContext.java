package dev.keyline.common.logging;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Puts the authenticated caller's subject into the log context (MDC {@value #MDC_SUBJECT}) for the
 * rest of the request, so every log line of it names who asked ({@link JsonLogFormatter}). Runs
 * after authentication (Quarkus authenticates proactively, before any JAX-RS filter); the subject
 * is the principal name the audit trail records as {@code actor}, never the token.
 */
public class CallerLogContext {

    public static final String MDC_SUBJECT = "subject";

    private static final Logger LOG = Logger.getLogger(CallerLogContext.class);

    @Inject
    SecurityIdentity identity;

    @ServerRequestFilter
    public void enter(ContainerRequestContext request) {
        if (identity != null && !identity.isAnonymous()) {
            MDC.put(MDC_SUBJECT, identity.getPrincipal().getName());
            // Method and path only (ids, never a query string or a body): at DEBUG, a line that ties
            // the request's trace and subject together even when nothing else is logged.
            LOG.debugf("%s %s", request.getMethod(), request.getUriInfo().getPath());
        } else {
            MDC.remove(MDC_SUBJECT);
        }
    }

    /** A worker thread serves other requests next: it must not keep this caller's name. */
    @ServerResponseFilter
    public void leave() {
        MDC.remove(MDC_SUBJECT);
    }
}
