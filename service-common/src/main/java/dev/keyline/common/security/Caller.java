package dev.keyline.common.security;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling, as recorded in audit events: the token's subject ({@code sub}, or the
 * principal name smallrye-jwt derives from {@code upn}/{@code preferred_username}), and the service
 * the call came through, if any.
 */
@RequestScoped
public class Caller {

    /**
     * Set by a keyline service on every call it makes to another one: its own name. With a forwarded
     * token the subject is the person and this header names the service that acted for the person.
     * It is a label for the audit trail only and never grants anything.
     */
    public static final String VIA_HEADER = "Keyline-Via";

    /** A service name: what the audit trail records must be short and free of control characters. */
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /**
     * The longest name recorded: the width of every {@code created_by}/{@code updated_by} column and of
     * the audit trail's actor. Subjects are the identity provider's, and some are longer (a Keycloak
     * username may have 255 characters, a Kubernetes service account's subject more): recorded whole,
     * such a caller's every create or change was a 500 at the insert.
     */
    public static final int MAX_NAME_LENGTH = 200;

    @Inject
    SecurityIdentity identity;

    @Inject
    CurrentVertxRequest request;

    @Inject
    ServiceAccountConfig accounts;

    /**
     * The caller as recorded ({@code created_by}, audit actor): the subject, cut to
     * {@value #MAX_NAME_LENGTH} characters. Never an identity to compare: {@link #subject()} is whole.
     */
    public String name() {
        String name = subject().orElse("anonymous");
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
    }

    /** The token's subject; empty for an anonymous call. */
    public Optional<String> subject() {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        return Optional.of(identity.getPrincipal().getName());
    }

    /**
     * Whether the caller is a peer service's own identity: a holder of one of
     * {@code keyline.security.service-permissions}, or a configured service account
     * ({@code keyline.security.service-accounts}: a token of the service-account issuer whose subject is
     * configured). Such an identity serves every replica of a peer service (rotation-service's workers), so a
     * pool may give it a larger share than a person.
     */
    public boolean serviceAccount() {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || accounts == null) {
            return false;
        }
        if (accounts.servicePermissions().orElse(java.util.List.of()).stream().anyMatch(identity::hasRole)) {
            return true;
        }
        var issuer = accounts.serviceAccountIssuer();
        String subject = jwt.getSubject();
        return issuer.isPresent() && issuer.get().equals(jwt.getIssuer()) && subject != null
                && accounts.serviceAccounts().values().stream().anyMatch(a -> a.subject().equals(subject));
    }

    /** The service the call came through ({@value #VIA_HEADER}); null for a direct call. */
    public String via() {
        RoutingContext rc = request == null ? null : request.getCurrent();
        String via = rc == null ? null : rc.request().getHeader(VIA_HEADER);
        return via != null && SERVICE_NAME.matcher(via).matches() ? via : null;
    }

    /**
     * The caller's own bearer token, to forward when this service asks another one to act for the
     * caller: the next service then checks the caller's permissions, not this service's.
     */
    public Optional<String> bearerToken() {
        if (identity == null || identity.isAnonymous()
                || !(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getRawToken() == null) {
            return Optional.empty();
        }
        return Optional.of(jwt.getRawToken());
    }
}
