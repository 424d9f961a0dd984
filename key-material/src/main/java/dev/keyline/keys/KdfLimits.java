package dev.keyline.keys;

/**
 * The most key-derivation work one encrypted private key may ask for.
 *
 * <p>Why: an encrypted PKCS#8 key names its own PBKDF2 iteration count (or scrypt cost), and
 * whoever uploads it chooses that number. Without a ceiling a single upload declaring 2^31
 * iterations keeps a core busy for many minutes. The ceiling is checked on the parameters alone,
 * before any derivation work, so refusing costs nothing.
 *
 * @param maxIterations PBKDF2 (PBES2), PBES1 and PKCS#12-PBE iteration counts above this are
 *     refused; 1,000,000 covers OpenSSL's default (2,048) and OWASP's current PBKDF2-HMAC-SHA256
 *     recommendation (600,000)
 * @param maxScryptCost scrypt's N·r·p above this is refused (CPU cost)
 * @param maxScryptMemoryBytes scrypt's 128·N·r bytes above this are refused (memory cost)
 */
public record KdfLimits(int maxIterations, long maxScryptCost, long maxScryptMemoryBytes) {

  /** 1,000,000 iterations; scrypt up to N·r·p = 2^20 and 128 MiB (OWASP's N=2^17, r=8, p=1). */
  public static final KdfLimits DEFAULT = new KdfLimits(1_000_000, 1L << 20, 128L << 20);

  public KdfLimits {
    if (maxIterations < 1 || maxScryptCost < 1 || maxScryptMemoryBytes < 1) {
      throw new IllegalArgumentException("KDF limits must be positive");
    }
  }
}
