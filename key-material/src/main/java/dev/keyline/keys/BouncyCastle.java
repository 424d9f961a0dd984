package dev.keyline.keys;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one BouncyCastle JCA provider instance of the application, created on first use.
 *
 * <p>Why not {@code Security.addProvider}: registering it globally changes which provider the
 * whole JVM (TLS, JDBC drivers) picks for RSA and friends, and static registration hampers GraalVM
 * native images. Instead, code that needs BouncyCastle's JCA algorithms (PKCS#8 PBES1/PBES2
 * decryption, legacy OpenSSL PEM decryption) passes this instance explicitly. Creating a provider
 * is costly (it registers hundreds of algorithms), hence a single shared one.
 */
public final class BouncyCastle {

  private BouncyCastle() {}

  /** The shared provider; not registered with {@link java.security.Security}. */
  public static Provider provider() {
    return Holder.PROVIDER;
  }

  /** Lazy holder: the provider is built the first time {@link #provider()} runs, thread-safely. */
  private static final class Holder {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }
}
