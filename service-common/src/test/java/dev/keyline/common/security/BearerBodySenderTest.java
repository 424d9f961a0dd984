package dev.keyline.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

/**
 * A body's sender is known on the event loop only from a token verified a moment ago (the cache
 * authentication uses); anything else is left to the verification on a worker thread.
 */
class BearerBodySenderTest {

    private final long now = System.currentTimeMillis();
    private final VerifiedTokens cache = new VerifiedTokens(30_000, 100, System::currentTimeMillis);
    private final BearerBodySender sender = new BearerBodySender();

    BearerBodySenderTest() {
        IssuerSelectingPrincipalFactory principals = new IssuerSelectingPrincipalFactory();
        principals.verifiedTokens(cache);
        sender.principals = principals;
        cache.remember("verified.a.moment-ago", VerifiedTokensTest.principal(now / 1000, now / 1000 + 3600), 3600L);
    }

    @Test
    void aTokenVerifiedAMomentAgoNamesItsSubject() {
        assertThat(sender.known(headers("Bearer verified.a.moment-ago"))).isEqualTo("alice");
        assertThat(sender.known(headers("bearer   verified.a.moment-ago "))).isEqualTo("alice");
    }

    @Test
    void anythingElseIsLeftToTheVerification() {
        assertThat(sender.known(headers("Bearer never.seen.before"))).isNull();
        assertThat(sender.known(headers("Basic dmVyaWZpZWQ="))).isNull();
        assertThat(sender.known(headers("Bearer "))).isNull();
        assertThat(sender.known(MultiMap.caseInsensitiveMultiMap())).isNull();
    }

    private static MultiMap headers(String authorization) {
        return MultiMap.caseInsensitiveMultiMap().add("Authorization", authorization);
    }
}
