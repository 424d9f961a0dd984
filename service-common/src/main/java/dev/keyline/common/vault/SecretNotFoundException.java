package dev.keyline.common.vault;

/** Vault answered 404 where a secret (or the requested version of it) was expected. */
public class SecretNotFoundException extends RuntimeException {

    public SecretNotFoundException() {
        super("secret not found in Vault");
    }
}
