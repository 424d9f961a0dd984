package dev.keyline.keys.testing;

import dev.keyline.keys.BouncyCastle;
import dev.keyline.keys.Fingerprints;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A certificate and the key pair it certifies, with the text forms tests feed to services.
 *
 * <p>The PEM renderings are produced independently of the library under test (BouncyCastle and the
 * JDK only), so tests of {@code dev.keyline.keys} parsing are not circular.
 */
public record Issued(X509Certificate certificate, KeyPair keyPair) {

  /** "CERTIFICATE" PEM of this certificate alone. */
  public String certificatePem() {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This certificate followed by {@code issuers}' certificates (leaf first), as one PEM text. */
  public String chainPem(Issued... issuers) {
    StringBuilder pem = new StringBuilder(certificatePem());
    for (Issued issuer : issuers) {
      pem.append(issuer.certificatePem());
    }
    return pem.toString();
  }

  /** Unencrypted PKCS#8 "PRIVATE KEY" PEM (RSA or EC). */
  public String privateKeyPkcs8Pem() {
    return pem("PRIVATE KEY", keyPair.getPrivate().getEncoded());
  }

  /** PKCS#1 "RSA PRIVATE KEY" PEM, as {@code openssl rsa -traditional} writes it. RSA keys only. */
  public String privateKeyPkcs1Pem() {
    if (keyPair.getPrivate() instanceof ECKey) {
      throw new IllegalStateException("PKCS#1 is for RSA keys; use privateKeySec1Pem() for EC keys");
    }
    try {
      return pem("RSA PRIVATE KEY", privateKeyInfo().parsePrivateKey().toASN1Primitive().getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SEC1 "EC PRIVATE KEY" PEM with curve and public key, as {@code openssl ec} writes it. EC keys only. */
  public String privateKeySec1Pem() {
    if (!(keyPair.getPrivate() instanceof ECKey ec)) {
      throw new IllegalStateException("SEC1 is for EC keys; use privateKeyPkcs1Pem() for RSA keys");
    }
    try {
      PrivateKeyInfo info = privateKeyInfo();
      ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
      var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
          ec.getParams().getOrder().bitLength(),
          ((java.security.interfaces.ECPrivateKey) keyPair.getPrivate()).getS(),
          SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded()).getPublicKeyData(),
          curve);
      return pem("EC PRIVATE KEY", sec1.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * "ENCRYPTED PRIVATE KEY" PEM: PBES2, PBKDF2-HMAC-SHA256 (2048 rounds, openssl's default) and
   * AES-256-CBC, written by BouncyCastle's PKCS8 generator (not by the library under test).
   */
  public String encryptedPkcs8Pem(char[] passphrase) {
    try {
      var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
          .setProvider(BouncyCastle.provider())
          .setPassword(passphrase)
          .setIterationCount(2048)
          .build();
      PemObject object = new JcaPKCS8Generator(keyPair.getPrivate(), encryptor).generate();
      return pem(object.getType(), object.getContent());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** "PUBLIC KEY" (SPKI) PEM of the certified key. */
  public String publicKeyPem() {
    return pem("PUBLIC KEY", keyPair.getPublic().getEncoded());
  }

  /** Snowflake-style "SHA256:..." fingerprint of the certified public key. */
  public String spkiFingerprint() {
    return Fingerprints.spkiSha256(keyPair.getPublic());
  }

  /**
   * An in-memory PKCS#12 key store with one key entry, alias "identity", holding this key and the
   * chain [this certificate, issuers...].
   */
  public KeyStore keyStore(char[] password, Issued... issuers) {
    try {
      List<Certificate> chain = new ArrayList<>();
      chain.add(certificate);
      for (Issued issuer : issuers) {
        chain.add(issuer.certificate());
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("identity", keyPair.getPrivate(), password, chain.toArray(Certificate[]::new));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private PrivateKeyInfo privateKeyInfo() {
    return PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded());
  }

  /** PEM with '\n' line ends whatever the platform, 64-column body. */
  static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }
}
