package dev.keyline.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;

/** A remembered token is found again only while a fresh verification would still accept its age. */
class VerifiedTokensTest {

    private static final long T0 = 1_800_000_000_000L;

    private final AtomicLong now = new AtomicLong(T0);

    @Test
    void aTokenIsFoundAgainUntilTheTtlEnds() {
        VerifiedTokens tokens = new VerifiedTokens(30_000, 100, now::get);
        JWTCallerPrincipal p = principal(T0 / 1000, T0 / 1000 + 3600);
        tokens.remember("token-a", p, 3600L);
        assertThat(tokens.find("token-a")).isSameAs(p);
        assertThat(tokens.find("token-b")).isNull();
        now.set(T0 + 29_999);
        assertThat(tokens.find("token-a")).isSameAs(p);
        now.set(T0 + 30_000);
        assertThat(tokens.find("token-a")).isNull();
        assertThat(tokens.size()).isZero();
    }

    @Test
    void neverPastItsExp() {
        VerifiedTokens tokens = new VerifiedTokens(30_000, 100, now::get);
        tokens.remember("token", principal(T0 / 1000 - 60, T0 / 1000 + 5), 3600L);
        now.set(T0 + 4_999);
        assertThat(tokens.find("token")).isNotNull();
        now.set(T0 + 5_000);
        assertThat(tokens.find("token")).isNull();
    }

    @Test
    void neverPastItsMaximumAge() {
        VerifiedTokens tokens = new VerifiedTokens(30_000, 100, now::get);
        // issued 3590 s ago, valid for hours: the 3600 s maximum age ends in 10 s
        tokens.remember("token", principal(T0 / 1000 - 3590, T0 / 1000 + 7200), 3600L);
        now.set(T0 + 9_999);
        assertThat(tokens.find("token")).isNotNull();
        now.set(T0 + 10_000);
        assertThat(tokens.find("token")).isNull();
    }

    @Test
    void aTokenWithoutExpOrIatIsNotRemembered() {
        VerifiedTokens tokens = new VerifiedTokens(30_000, 100, now::get);
        tokens.remember("no-exp", principal(T0 / 1000, null), null);
        tokens.remember("no-iat", principal(null, T0 / 1000 + 60), 3600L);
        assertThat(tokens.find("no-exp")).isNull();
        assertThat(tokens.find("no-iat")).isNull();
        tokens.remember("no-iat-no-age-limit", principal(null, T0 / 1000 + 60), null);
        assertThat(tokens.find("no-iat-no-age-limit")).isNotNull();
    }

    @Test
    void aTtlOfZeroRemembersNothing() {
        VerifiedTokens tokens = new VerifiedTokens(0, 100, now::get);
        tokens.remember("token", principal(T0 / 1000, T0 / 1000 + 3600), 3600L);
        assertThat(tokens.find("token")).isNull();
        assertThat(tokens.size()).isZero();
    }

    @Test
    void whenFullNewTokensWaitUntilOldOnesExpire() {
        VerifiedTokens tokens = new VerifiedTokens(30_000, 2, now::get);
        tokens.remember("a", principal(T0 / 1000, T0 / 1000 + 10), 3600L);
        tokens.remember("b", principal(T0 / 1000, T0 / 1000 + 3600), 3600L);
        tokens.remember("c", principal(T0 / 1000, T0 / 1000 + 3600), 3600L);
        assertThat(tokens.size()).isEqualTo(2);
        assertThat(tokens.find("c")).isNull();
        now.set(T0 + 11_000); // "a" expired: the next remember sweeps it out
        tokens.remember("c", principal(T0 / 1000, T0 / 1000 + 3600), 3600L);
        assertThat(tokens.find("c")).isNotNull();
        assertThat(tokens.find("b")).isNotNull();
        assertThat(tokens.size()).isEqualTo(2);
    }

    static JWTCallerPrincipal principal(Long iat, Long exp) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("alice");
        if (iat != null) {
            claims.setIssuedAt(NumericDate.fromSeconds(iat));
        }
        if (exp != null) {
            claims.setExpirationTime(NumericDate.fromSeconds(exp));
        }
        return new DefaultJWTCallerPrincipal(claims);
    }
}
