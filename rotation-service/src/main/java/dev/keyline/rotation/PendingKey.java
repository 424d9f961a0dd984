package dev.keyline.rotation;

/**
 * A run's new key as kept in Vault until DONE/ROLLED_BACK: encrypted PKCS#8 and its passphrase. While
 * the run executes on the replica that generated it, the same key as plain PKCS#8 with a null
 * passphrase ({@code HeldPendingKeys}). toString never shows the material.
 */
public record PendingKey(String privateKeyPem, String passphrase, String publicKeyPem, String fingerprint) {

    @Override
    public String toString() {
        return "PendingKey[" + fingerprint + ", material=masked]";
    }
}
