package dev.keyline.connection.vault;

/**
 * What Vault holds for one connection: the private key as plain PKCS#8 PEM and no passphrase
 * (versions written before keys were stored decrypted hold the key as uploaded and its passphrase). {@link #toString()} is masked so an accidental log line cannot
 * leak either.
 */
public record StoredCredential(String privateKeyPem, String passphrase) {

    public char[] passphraseChars() {
        return passphrase == null || passphrase.isEmpty() ? null : passphrase.toCharArray();
    }

    @Override
    public String toString() {
        return "StoredCredential[masked]";
    }
}
