package dev.keyline.keys;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses and writes X.509 certificates and chains in PEM, using the JDK's X.509 implementation. */
public final class Certificates {

  private static final Set<String> CERTIFICATE_LABELS = Set.of("CERTIFICATE", "X509 CERTIFICATE");

  private Certificates() {}

  /**
   * Parses one or more "CERTIFICATE" blocks (a leaf plus its chain, or a CA bundle), in the order
   * given (leaf first when it is a chain). The input is normalised as by {@link
   * PemText#normalize(String, String)} with default label "CERTIFICATE"; other blocks (e.g. a
   * private key pasted along) are ignored.
   *
   * @return at least one certificate
   * @throws KeyMaterialException NOT_PEM, MALFORMED, NO_CERTIFICATE (e.g. only a key given),
   *     PKCS12_NOT_SUPPORTED, KEY_TOO_LARGE (an RSA key above 16384 bits)
   */
  public static List<X509Certificate> parseChain(String pem) {
    List<PemBlock> blocks = PemBlocks.read(pem, "CERTIFICATE");
    List<PemBlock> certificates = blocks.stream().filter(b -> CERTIFICATE_LABELS.contains(b.label())).toList();
    if (certificates.isEmpty()) {
      throw new KeyMaterialException(
          Reason.NO_CERTIFICATE,
          "The text holds no certificate (found: "
              + String.join(", ", blocks.stream().map(PemBlock::label).distinct().toList()) + ").");
    }
    CertificateFactory factory = x509Factory();
    List<X509Certificate> chain = new ArrayList<>(certificates.size());
    for (PemBlock block : certificates) {
      String which = certificates.size() == 1 ? "The certificate" : "Certificate #" + (chain.size() + 1);
      byte[] der = block.der();
      if (DerKind.of(der) != DerKind.CERTIFICATE) {
        throw new KeyMaterialException(Reason.MALFORMED, which + " is not a valid X.509 certificate.");
      }
      try {
        X509Certificate certificate = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        if (certificate.getPublicKey() instanceof java.security.interfaces.RSAKey rsa) {
          JdkPrivateKeys.requireRsaWithinLimit(rsa.getModulus().bitLength());
        }
        chain.add(certificate);
      } catch (KeyMaterialException e) {
        throw e;
      } catch (CertificateException | RuntimeException e) {
        throw new KeyMaterialException(
            Reason.MALFORMED, which + " is not a valid X.509 certificate.", ScrubbedCause.of(e));
      }
    }
    return List.copyOf(chain);
  }

  /** Canonical PEM of the certificates, in the given order; "" for an empty list. */
  public static String toPem(List<X509Certificate> chain) {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : chain) {
      pem.append(PemBlocks.write("CERTIFICATE", encoded(certificate)));
    }
    return pem.toString();
  }

  static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new KeyMaterialException(Reason.MALFORMED, "The certificate cannot be encoded.", ScrubbedCause.of(e));
    }
  }

  private static CertificateFactory x509Factory() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("The JDK has no X.509 CertificateFactory", e);
    }
  }
}
