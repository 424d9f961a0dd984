/**
 * Key handling shared by the keyline services and emulators: parsing what users paste (PEM in its
 * many mangled forms), checking that a key belongs to a certificate, computing the fingerprints
 * that Snowflake and openssl show, generating RSA keys and writing encrypted PKCS#8.
 *
 * <p>Why a library of its own: every service must accept and reject exactly the same inputs and
 * must produce the same fingerprints, and every error message must be safe to show to users (it
 * never contains key material or passphrases). All failures are {@link dev.keyline.keys.KeyMaterialException}.
 *
 * <p>GraalVM native: no reflection, and BouncyCastle is never registered as a global JCA provider;
 * where a BouncyCastle provider is needed the one lazily created by {@link dev.keyline.keys.BouncyCastle}
 * is passed explicitly.
 */
package dev.keyline.keys;
