package dev.keyline.keys;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A private key as parsed by {@link PrivateKeys#parse}, with its derived public key.
 *
 * @param privateKey from the JDK's KeyFactory; for RSA always a {@link
 *     java.security.interfaces.RSAPrivateCrtKey} (the Snowflake JDBC driver requires that)
 * @param publicKey derived from the private key, never taken from the input
 * @param algorithm "RSA" or "EC"
 * @param sizeBits RSA modulus length, or EC field size (256 for P-256)
 * @param wasEncrypted whether the input was passphrase-protected
 */
public record ParsedPrivateKey(
    PrivateKey privateKey, PublicKey publicKey, String algorithm, int sizeBits, boolean wasEncrypted) {}
