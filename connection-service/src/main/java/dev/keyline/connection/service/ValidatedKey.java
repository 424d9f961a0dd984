package dev.keyline.connection.service;

import java.security.KeyPair;

import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.ParsedPrivateKey;
import dev.keyline.keys.Pkcs8;
import dev.keyline.keys.RsaKeys;

/**
 * A private key that parsed, is RSA and at least 2048 bits. {@code pem} is the normalised text as
 * given (still encrypted when it was), {@code passphrase} null for unencrypted keys.
 */
public record ValidatedKey(String pem, String passphrase, ParsedPrivateKey parsed) {

    /**
     * A key pair the service generated (key-material's {@link RsaKeys}); never leaves the service
     * except into Vault.
     */
    public static ValidatedKey generate(int bits) {
        KeyPair pair = RsaKeys.generate(bits);
        return new ValidatedKey(Pkcs8.toPem(pair.getPrivate()), null,
                new ParsedPrivateKey(pair.getPrivate(), pair.getPublic(), "RSA", bits, false));
    }

    public String fingerprint() {
        return Fingerprints.spkiSha256(parsed.publicKey());
    }

    @Override
    public String toString() {
        return "ValidatedKey[" + fingerprint() + ", material=masked]";
    }
}
