package dev.keyline.keys.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Describes one certificate for {@link TestPki#certificate(String)}; every setting has a default:
 * self-signed, RSA 2048, no EKU, no SAN, valid from one hour ago for {@link
 * TestPki#DEFAULT_VALIDITY}, not a CA.
 */
public final class CertificateBuilder {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");

  private final String cn;
  private Issued issuer;
  private KeyType keyType = KeyType.RSA_2048;
  private KeyPair keyPair;
  private final List<GeneralName> subjectAltNames = new ArrayList<>();
  private final List<KeyPurposeId> extendedKeyUsages = new ArrayList<>();
  private Instant notBefore;
  private Instant notAfter;
  private Duration validFor = TestPki.DEFAULT_VALIDITY;
  private boolean ca;

  CertificateBuilder(String cn) {
    this.cn = Objects.requireNonNull(cn, "cn");
  }

  /** Signed by {@code issuer}'s key, with its subject as issuer name; default is self-signed. */
  public CertificateBuilder issuedBy(Issued issuer) {
    this.issuer = issuer;
    return this;
  }

  /** Key type of a freshly generated subject key (default RSA 2048). */
  public CertificateBuilder keyType(KeyType keyType) {
    this.keyType = Objects.requireNonNull(keyType);
    return this;
  }

  /** Certifies this existing key pair instead of generating one (e.g. to re-issue, or for mismatch tests). */
  public CertificateBuilder keyPair(KeyPair keyPair) {
    this.keyPair = keyPair;
    return this;
  }

  public CertificateBuilder dnsNames(String... names) {
    for (String name : names) {
      subjectAltNames.add(new GeneralName(GeneralName.dNSName, name));
    }
    return this;
  }

  public CertificateBuilder ipAddresses(String... addresses) {
    for (String address : addresses) {
      subjectAltNames.add(new GeneralName(GeneralName.iPAddress, address));
    }
    return this;
  }

  /** DNS names and IP literals mixed; IP literals (dotted quad, or containing ':') become IP SANs. */
  public CertificateBuilder subjectAltNames(String... names) {
    for (String name : names) {
      if (IP_LITERAL.matcher(name).matches()) {
        ipAddresses(name);
      } else {
        dnsNames(name);
      }
    }
    return this;
  }

  /** Adds EKU id-kp-serverAuth. */
  public CertificateBuilder serverAuth() {
    extendedKeyUsages.add(KeyPurposeId.id_kp_serverAuth);
    return this;
  }

  /** Adds EKU id-kp-clientAuth. */
  public CertificateBuilder clientAuth() {
    extendedKeyUsages.add(KeyPurposeId.id_kp_clientAuth);
    return this;
  }

  /** Makes a CA: basicConstraints CA:TRUE (critical), keyUsage keyCertSign+cRLSign. */
  public CertificateBuilder ca() {
    this.ca = true;
    return this;
  }

  /** Exact validity window; either end may lie in the past (expired) or the near future (expiring soon). */
  public CertificateBuilder validity(Instant notBefore, Instant notAfter) {
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    return this;
  }

  /** Valid from one hour ago until now + {@code validity}; negative means already expired. */
  public CertificateBuilder validFor(Duration validity) {
    this.notBefore = null;
    this.notAfter = null;
    this.validFor = validity;
    return this;
  }

  public Issued issue() {
    try {
      KeyPair subjectKeys = keyPair != null ? keyPair : keyType.generate();
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Instant until = notAfter != null ? notAfter : now.plus(validFor);
      Instant from = notBefore != null ? notBefore : min(now.minus(Duration.ofHours(1)), until.minus(Duration.ofHours(1)));
      X500Name subject = name(cn);
      X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
      PublicKey issuerPublicKey = issuer == null ? subjectKeys.getPublic() : issuer.certificate().getPublicKey();
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          issuerName, new BigInteger(120, RANDOM).add(BigInteger.ONE), Date.from(from), Date.from(until),
          subject, subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage(subjectKeys.getPublic())));
      builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
      builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(issuerPublicKey));
      if (!extendedKeyUsages.isEmpty()) {
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsages.toArray(KeyPurposeId[]::new)));
      }
      if (!subjectAltNames.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(subjectAltNames.toArray(GeneralName[]::new)));
      }
      var signingKey = issuer == null ? subjectKeys.getPrivate() : issuer.keyPair().getPrivate();
      String signatureAlgorithm = signingKey instanceof ECKey ? "SHA256withECDSA" : "SHA256withRSA";
      X509Certificate certificate = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(signingKey)));
      return new Issued(certificate, subjectKeys);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot issue test certificate for " + cn, e);
    }
  }

  private int keyUsage(PublicKey key) {
    if (ca) {
      return KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature;
    }
    return key instanceof ECKey ? KeyUsage.digitalSignature : KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
  }

  private static X500Name name(String cn) {
    return cn.contains("=") ? X500Name.getInstance(new javax.security.auth.x500.X500Principal(cn).getEncoded()) : new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
