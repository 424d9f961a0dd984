/**
 * Test fixtures for modules that handle certificates and keys, shipped as
 * {@code dev.keyline:key-material:test-jar}: {@link dev.keyline.keys.testing.TestPki} builds CA,
 * server and client certificates at runtime (so tests can make expired, soon-expiring, mismatched
 * ones), and {@link dev.keyline.keys.testing.Issued} renders them in the PEM forms users paste.
 *
 * <p>The test-jar also carries {@code /openssl/*.pem}: keys and certificates made by the real
 * openssl CLI, with {@code /openssl/expected.properties} holding openssl's own fingerprints.
 */
package dev.keyline.keys.testing;
