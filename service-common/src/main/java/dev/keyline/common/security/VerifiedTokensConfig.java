package dev.keyline.common.security;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long a bearer token this service verified is taken as verified again without checking its
 * signature and claims anew (see {@link VerifiedTokens}).
 */
@ConfigMapping(prefix = "keyline.security.verified-tokens")
public interface VerifiedTokensConfig {

    /**
     * At most this long after its verification (and never past its {@code exp} or its maximum age);
     * 0 verifies every request. Far below the key set's own refresh interval, so a key withdrawn by
     * the identity provider is honoured no later than before.
     */
    @WithDefault("30S")
    Duration ttl();

    /** Tokens remembered at once; when full, new tokens are verified but not remembered until old ones expire. */
    @WithDefault("10000")
    int maxEntries();
}
