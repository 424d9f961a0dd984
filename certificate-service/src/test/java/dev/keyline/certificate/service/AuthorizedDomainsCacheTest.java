package dev.keyline.certificate.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyline.common.problem.ProblemException;

/** Stored rules are read as they are accepted today; one stored before a rule became stricter is a clear refusal. */
class AuthorizedDomainsCacheTest {

    private static final UUID ID = UUID.fromString("0b6f3f36-5c1e-4e8a-9e0e-2a4f6f4b7f21");

    @Test
    void storedRulesAcceptedTodayAreRead() {
        assertThat(AuthorizedDomainsCache.parseStored(ID, List.of("*.example.com", "api.example.org:8443")).canonical())
                .containsExactly("*.example.com", "api.example.org:8443");
    }

    @Test
    void aStoredRuleNoLongerAcceptedIsAConflictNamingTheEntryNotAServerError() {
        ProblemException p = catchThrowableOfType(ProblemException.class,
                () -> AuthorizedDomainsCache.parseStored(ID, List.of("api.example.org", "*.compute-1.amazonaws.com")));
        assertThat(p.status()).isEqualTo(409);
        assertThat(p.slug()).isEqualTo("authorized-domains-refused");
        assertThat(p.getMessage()).contains(ID.toString()).contains("PUT /api/v1/certificates/" + ID);
        assertThat(p.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("authorizedDomains[1]");
            assertThat(e.reason()).contains("public suffixes");
        });
    }
}
