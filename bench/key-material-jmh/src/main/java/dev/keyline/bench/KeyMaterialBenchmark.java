package dev.keyline.bench;

import dev.keyline.keys.EncryptedPkcs8;
import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.KeyMaterialException;
import dev.keyline.keys.ParsedPrivateKey;
import dev.keyline.keys.Pkcs8;
import dev.keyline.keys.PrivateKeys;
import dev.keyline.keys.RsaKeys;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one key costs the services: parsing the stored (plain PKCS#8) form, decrypting an upload at
 * the default and at the ceiling's iteration counts, the SPKI fingerprint, RSA generation, and a
 * 64 KiB worst-case text (linear scanning: it must cost about as much as reading 64 KiB).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class KeyMaterialBenchmark {

  private static final char[] PASSPHRASE = "bench-pass".toCharArray();

  private String plainPkcs8;
  private String encrypted10k;
  private String escapedPlain;
  private String backslashes64k;
  private ParsedPrivateKey parsed;

  @Setup
  public void keys() {
    KeyPair pair = RsaKeys.generate(2048);
    plainPkcs8 = Pkcs8.toPem(pair.getPrivate());
    encrypted10k = EncryptedPkcs8.write(pair.getPrivate(), PASSPHRASE, EncryptedPkcs8.DEFAULT_ITERATIONS);
    escapedPlain = plainPkcs8.replace("\n", "\\n");
    backslashes64k = "\\".repeat(64 * 1024);
    parsed = PrivateKeys.parse(plainPkcs8, null);
  }

  /** The stored form: what every test, browse, key-slot read and exchange pays on a cache miss. */
  @Benchmark
  public Object parseStoredPlainPkcs8() {
    return PrivateKeys.parse(plainPkcs8, null);
  }

  /** A JSON-escaped paste, as users send it. */
  @Benchmark
  public Object parseEscapedPaste() {
    return PrivateKeys.parse(escapedPlain, null);
  }

  /** An upload encrypted with 10,000 PBKDF2 iterations (rotation's own keys). */
  @Benchmark
  public Object decryptPbkdf2With10kIterations() {
    return PrivateKeys.parse(encrypted10k, PASSPHRASE);
  }

  @Benchmark
  public String spkiFingerprint() {
    return Fingerprints.spkiSha256(parsed.publicKey());
  }

  /** 64 KiB of backslashes: a quadratic scanner took 48 s on 65,000. */
  @Benchmark
  public Object refuseBackslashes64KiB() {
    try {
      return PrivateKeys.parse(backslashes64k, null);
    } catch (KeyMaterialException e) {
      return e.reason();
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Measurement(iterations = 3, time = 5)
  public Object generateRsa2048() {
    return RsaKeys.generate(2048);
  }
}
