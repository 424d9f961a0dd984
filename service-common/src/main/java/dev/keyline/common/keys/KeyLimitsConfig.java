package dev.keyline.common.keys;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.keyline.keys.KdfLimits;
import dev.keyline.keys.ParsedPrivateKey;

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

    /**
     * RSA private keys larger than this many bits are refused with 400 when uploaded. Why: every use
     * of a stored key is a private-key operation whose cost grows with the cube of its size (here: 1.4
     * ms per signature at 2048 bits, 75 ms at 8192, ~0.5 s at 16384), and the uploader chooses the
     * size, while the key is then used by every mTLS handshake or Snowflake login of anyone allowed
     * to use it. 8192 is above what certificate authorities issue and Snowflake's documentation
     * asks for; key-material's own limit (16384, the JDK's) stays the hard ceiling.
     */
    @WithDefault("8192")
    int maxRsaBits();

    /** Why an uploaded key is refused on its size alone, if it is. */
    default Optional<String> sizeRefusal(ParsedPrivateKey key) {
        if ("RSA".equals(key.algorithm()) && key.sizeBits() > maxRsaBits()) {
            return Optional.of("The RSA key is " + key.sizeBits() + " bits; this deployment accepts at most "
                    + maxRsaBits() + " bits (keyline.keys.max-rsa-bits).");
        }
        return Optional.empty();
    }

    /** The ceilings in key-material's form. */
    default KdfLimits kdfLimits() {
        return new KdfLimits(maxPbkdf2Iterations(), maxScryptCost(), maxScryptMemoryBytes());
    }
}
