package dev.keyline.console.session;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.console.api.ApiResponse;
import dev.keyline.console.api.ServiceClient;
import dev.keyline.console.api.ServiceUnavailableException;
import dev.keyline.console.api.Services;

/**
 * Whether any service accepts a pasted token, asked before a session is opened for it. The console
 * holds no key to verify a token itself; without this check any text shaped like a JWT with a
 * future expiry opened a session, so anyone could fill the session store (each session holding the
 * pasted text) and push real people's sessions out. A service that answers anything but 401 (200,
 * or 403 for a token without audit permissions) has verified signature, issuer, audience and age.
 */
@ApplicationScoped
public class TokenAcceptance {

    /** What the services said of a token. */
    public enum Verdict {
        /** At least one service verified it. */
        ACCEPTED,
        /** Every service that answered refused it (401). */
        REFUSED,
        /** No service answered: nothing is known. */
        UNCHECKED
    }

    /** Present on every service (service-common), cheap: one row at most, and 403 without permission. */
    static final String PROBE = "/api/v1/audit-events?size=1";

    @Inject
    Services services;

    public Verdict check(String token) {
        boolean answered = false;
        for (ServiceClient service : List.of(services.certificates(), services.connections(), services.rotations())) {
            ApiResponse answer;
            try {
                answer = service.get(PROBE, token);
            } catch (ServiceUnavailableException e) {
                continue;
            }
            answered = true;
            if (answer.status() != 401) {
                return Verdict.ACCEPTED;
            }
        }
        return answered ? Verdict.REFUSED : Verdict.UNCHECKED;
    }
}
