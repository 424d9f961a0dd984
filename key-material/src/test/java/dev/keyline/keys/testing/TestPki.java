package dev.keyline.keys.testing;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Runtime test PKI: CAs, server and client certificates, made with BouncyCastle's
 * X509v3CertificateBuilder and signed by the JDK. Nothing is cached: every call makes new keys.
 *
 * <p>Why runtime-generated instead of committed files: tests need certificates that are expired,
 * about to expire, issued by the wrong CA or for the wrong key, and committed certificates expire
 * by themselves and break builds.
 *
 * <p>Typical mTLS test:
 *
 * <pre>{@code
 * Issued ca = TestPki.ca("Test CA");
 * Issued server = TestPki.server(ca, "localhost", "localhost", "127.0.0.1");
 * Issued client = TestPki.client(ca, "svc-reporting");
 * Issued expired = TestPki.certificate("old-client").issuedBy(ca).clientAuth()
 *     .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))).issue();
 * String pemToUpload = client.certificatePem() + client.privateKeyPkcs8Pem();
 * SSLContext serverTls = TestPki.sslContext(server, ca); // presents server, trusts client certs from ca
 * }</pre>
 *
 * <p>Names: a {@code cn} without '=' becomes the subject "CN=cn"; one with '=' is taken as a whole
 * RFC 2253 DN (e.g. "CN=svc,O=Keyline"). Validity starts one hour in the past (clock skew).
 */
public final class TestPki {

  /** Validity of CAs made by {@link #ca}. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** Default validity of certificates made by the builder, {@link #server} and {@link #client}. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

  private TestPki() {}

  /** A builder for any certificate; self-signed unless {@link CertificateBuilder#issuedBy} is called. */
  public static CertificateBuilder certificate(String cn) {
    return new CertificateBuilder(cn);
  }

  /** A self-signed root CA with an RSA 2048 key, valid for {@link #CA_VALIDITY}. */
  public static Issued ca(String cn) {
    return ca(cn, KeyType.RSA_2048);
  }

  /** A self-signed root CA with the given key type, valid for {@link #CA_VALIDITY}. */
  public static Issued ca(String cn, KeyType keyType) {
    return certificate(cn).ca().keyType(keyType).validFor(CA_VALIDITY).issue();
  }

  /** An intermediate CA (RSA 2048) issued by {@code issuer}, valid for {@link #CA_VALIDITY}. */
  public static Issued intermediateCa(Issued issuer, String cn) {
    return certificate(cn).issuedBy(issuer).ca().validFor(CA_VALIDITY).issue();
  }

  /**
   * A TLS server certificate (EKU serverAuth, RSA 2048, {@link #DEFAULT_VALIDITY}) issued by {@code ca}.
   *
   * @param subjectAltNames DNS names and IP literals (e.g. "localhost", "127.0.0.1", "::1"); when
   *     none are given, {@code cn} is used as the DNS name
   */
  public static Issued server(Issued ca, String cn, String... subjectAltNames) {
    CertificateBuilder builder = certificate(cn).issuedBy(ca).serverAuth();
    builder.subjectAltNames(subjectAltNames.length == 0 ? new String[] {cn} : subjectAltNames);
    return builder.issue();
  }

  /** A TLS client certificate (EKU clientAuth, RSA 2048, {@link #DEFAULT_VALIDITY}) issued by {@code ca}. */
  public static Issued client(Issued ca, String cn) {
    return certificate(cn).issuedBy(ca).clientAuth().issue();
  }

  /** A client certificate with an EC P-256 key. */
  public static Issued client(Issued ca, String cn, KeyType keyType) {
    return certificate(cn).issuedBy(ca).clientAuth().keyType(keyType).issue();
  }

  /**
   * A self-signed end-entity certificate (not a CA) with an RSA key, EKU serverAuth and
   * clientAuth, DNS SAN {@code cn}, valid from one hour ago until now + {@code validity}. A
   * negative validity gives an already expired certificate.
   *
   * @param rsaBits 2048, 3072 or 4096
   */
  public static Issued selfSigned(String cn, int rsaBits, Duration validity) {
    KeyType keyType = switch (rsaBits) {
      case 2048 -> KeyType.RSA_2048;
      case 3072 -> KeyType.RSA_3072;
      case 4096 -> KeyType.RSA_4096;
      default -> throw new IllegalArgumentException("rsaBits must be 2048, 3072 or 4096");
    };
    return certificate(cn).keyType(keyType).serverAuth().clientAuth().dnsNames(cn).validFor(validity).issue();
  }

  /** An in-memory PKCS#12 trust store holding the given certificates as trusted entries. */
  public static KeyStore trustStore(Issued... trusted) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < trusted.length; i++) {
        store.setCertificateEntry("trusted-" + i, trusted[i].certificate());
      }
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A TLS context presenting {@code identity} (may be null for a client without certificate) and
   * trusting certificates issued by {@code trusted} (the JDK's default trust when none are given).
   */
  public static SSLContext sslContext(Issued identity, Issued... trusted) {
    try {
      KeyManagerFactory keyManagers = null;
      if (identity != null) {
        char[] password = "changeit".toCharArray();
        keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(identity.keyStore(password), password);
      }
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trusted.length == 0 ? null : trustStore(trusted));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
