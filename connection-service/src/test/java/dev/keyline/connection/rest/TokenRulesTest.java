package dev.keyline.connection.rest;

import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.TokenRules;
import io.quarkus.test.junit.QuarkusTest;

/** connection-service accepts only fresh tokens issued for it, and no endpoint is open by omission. */
@QuarkusTest
class TokenRulesTest {

    @Test
    void ownAudienceIsAccepted() {
        TokenRules.ownAudienceIsAccepted();
    }

    @Test
    void otherServicesAudiencesAre401() {
        TokenRules.otherAudiencesAre401();
    }

    @Test
    void tokensOlderThanTheMaxAgeAre401() {
        TokenRules.tokensOlderThanTheMaxAgeAre401();
    }

    @Test
    void emptySubjectsAre401() {
        TokenRules.emptySubjectsAre401();
    }

    @Test
    void expiredTokensAre401() {
        TokenRules.expiredTokensAre401();
    }

    @Test
    void unannotatedEndpointsAreDenied() {
        TokenRules.unannotatedEndpointsAreDenied();
    }
}
