package dev.keyline.common.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, as recorded in audit events: the token's subject ({@code sub}, or the
 * principal name smallrye-jwt derives from {@code upn}/{@code preferred_username}).
 */
@RequestScoped
public class Caller {

    @Inject
    SecurityIdentity identity;

    public String name() {
        if (identity == null || identity.isAnonymous()) {
            return "anonymous";
        }
        return identity.getPrincipal().getName();
    }
}
