package dev.keyline.certificate.vault;

/**
 * What Vault holds for one certificate. {@link #toString()} is masked so an accidental log line
 * cannot leak the key.
 */
public record StoredMaterial(String certificatePem, String privateKeyPem, String passphrase, String caCertificatePem) {

    public char[] passphraseChars() {
        return passphrase == null || passphrase.isEmpty() ? null : passphrase.toCharArray();
    }

    @Override
    public String toString() {
        return "StoredMaterial[masked]";
    }
}
