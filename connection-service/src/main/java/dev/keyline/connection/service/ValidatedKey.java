package dev.keyline.connection.service;

import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.ParsedPrivateKey;

/**
 * A private key that parsed, is RSA and at least 2048 bits. {@code pem} is the normalised text as
 * given (still encrypted when it was), {@code passphrase} null for unencrypted keys.
 */
public record ValidatedKey(String pem, String passphrase, ParsedPrivateKey parsed) {

    public String fingerprint() {
        return Fingerprints.spkiSha256(parsed.publicKey());
    }

    @Override
    public String toString() {
        return "ValidatedKey[" + fingerprint() + ", material=masked]";
    }
}
