package dev.keyline.common.vault;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How every service talks to Vault, under {@code keyline.vault.*}. */
@ConfigMapping(prefix = "keyline.vault")
public interface VaultConfig {

    /** How long one Vault call may take before it counts as Vault being unavailable (503, readiness DOWN). */
    @WithDefault("10s")
    Duration timeout();
}
