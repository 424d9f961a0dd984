/**
 * Key handling shared by the keyline services and emulators: parsing what users paste (PEM in its
 * many mangled forms), checking that a key belongs to a certificate, computing the fingerprints
 * that Snowflake and openssl show, generating RSA keys and writing encrypted PKCS#8.
 *
 * <p>Why a library of its own: every service must accept and reject exactly the same inputs and
 * must produce the same fingerprints, and every error message must be safe to show to users (it
 * never contains key material or passphrases). All failures are {@link dev.keyline.keys.KeyMaterialException}.
 *
 * <p>GraalVM native: no reflection, and this library never registers BouncyCastle as a global JCA
 * provider; where a BouncyCastle provider is needed the one lazily created by
 * {@link dev.keyline.keys.BouncyCastle} is passed explicitly, so behaviour does not depend on the
 * JVM's provider list. Native builds register BC the Quarkus way
 * ({@code quarkus.security.security-providers=BC} in the root pom's native profile, appended after
 * the JDK providers) only so that native images keep BouncyCastle's classes; JVM mode does not
 * (it cost start-up time on the main thread).
 */
package dev.keyline.keys;
