package dev.keyline.common.keys;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.keyline.keys.KdfLimits;

/**
 * The most key-derivation work one uploaded encrypted private key may ask for, under
 * {@code keyline.keys.*}; the same for every service and every path that parses a key.
 *
 * <p>Why configurable: the iteration count is chosen by whoever encrypted the key, so without a
 * ceiling one upload can keep a core busy for minutes. Deployments whose users export keys with
 * stronger settings can raise it; nobody needs it unbounded.
 */
@ConfigMapping(prefix = "keyline.keys")
public interface KeyLimitsConfig {

    /** PBKDF2 (and PBES1) iteration counts above this are refused with 400 before any derivation work. */
    @WithDefault("1000000")
    int maxPbkdf2Iterations();

    /** scrypt keys whose N·r·p exceeds this are refused (CPU cost). */
    @WithDefault("1048576")
    long maxScryptCost();

    /** scrypt keys needing more than this many bytes (128·N·r) are refused (memory cost). */
    @WithDefault("134217728")
    long maxScryptMemoryBytes();

    /** The ceilings in key-material's form. */
    default KdfLimits kdfLimits() {
        return new KdfLimits(maxPbkdf2Iterations(), maxScryptCost(), maxScryptMemoryBytes());
    }
}
