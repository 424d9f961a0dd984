package dev.keyline.rotation;

/** A run's new key as kept in Vault until DONE/ROLLED_BACK. toString never shows the material. */
public record PendingKey(String privateKeyPem, String passphrase, String publicKeyPem, String fingerprint) {

    @Override
    public String toString() {
        return "PendingKey[" + fingerprint + ", material=masked]";
    }
}
