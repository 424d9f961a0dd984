package dev.keyline.rotation.service.steps;

import java.security.KeyPair;
import java.util.Arrays;

import dev.keyline.keys.EncryptedPkcs8;
import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.Pkcs8;
import dev.keyline.keys.PublicKeys;
import dev.keyline.keys.RsaKeys;
import dev.keyline.rotation.PendingKey;

/**
 * A freshly generated RSA key in both forms GENERATE needs: as Vault stores it (encrypted PKCS#8
 * and its random passphrase) and as plain PKCS#8 for the rest of this execution. Made either on
 * demand by GENERATE or ahead of time by the {@link KeyReserve}; either way the whole CPU cost (RSA
 * generation and the PBKDF2 rounds of the encryption) is paid here. toString never shows the material.
 */
public record NewKey(PendingKey stored, PendingKey plain, int keySize) {

    /** CPU work (tens to hundreds of milliseconds): call it on the bounded key pool. */
    public static NewKey generate(int keySize, int pbkdf2Iterations) {
        KeyPair pair = RsaKeys.generate(keySize);
        char[] passphrase = EncryptedPkcs8.randomPassphrase();
        try {
            String publicKey = PublicKeys.toPem(pair.getPublic());
            String fingerprint = Fingerprints.spkiSha256(pair.getPublic());
            return new NewKey(new PendingKey(EncryptedPkcs8.write(pair.getPrivate(), passphrase, pbkdf2Iterations),
                    new String(passphrase), publicKey, fingerprint),
                    new PendingKey(Pkcs8.toPem(pair.getPrivate()), null, publicKey, fingerprint), keySize);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    public String fingerprint() {
        return stored.fingerprint();
    }

    @Override
    public String toString() {
        return "NewKey[" + stored.fingerprint() + ", " + keySize + " bits, material=masked]";
    }
}
