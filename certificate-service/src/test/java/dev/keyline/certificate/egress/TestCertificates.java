package dev.keyline.certificate.egress;

import org.bouncycastle.asn1.x500.X500Name;
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

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues throw-away EC P-256 CAs and leaf certificates for the TLS tests (BouncyCastle builders,
 * JDK providers), so tests need no files and no shared PKI.
 */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key with its certificate; {@code chain} is leaf first, then the issuing CA. */
    record Issued(PrivateKey key, X509Certificate certificate, X509Certificate[] chain) {
    }

    private TestCertificates() {
    }

    static Issued ca(String commonName) {
        KeyPair keys = newKeyPair();
        X509Certificate certificate = build(new X500Name("CN=" + commonName), keys, new X500Name("CN=" + commonName),
                keys.getPrivate(), true, null, List.of(), List.of());
        return new Issued(keys.getPrivate(), certificate, new X509Certificate[] {certificate});
    }

    static Issued server(Issued ca, String commonName, List<String> dnsNames, List<String> ipAddresses) {
        return leaf(ca, commonName, KeyPurposeId.id_kp_serverAuth, dnsNames, ipAddresses);
    }

    static Issued client(Issued ca, String commonName) {
        return leaf(ca, commonName, KeyPurposeId.id_kp_clientAuth, List.of(), List.of());
    }

    private static Issued leaf(Issued ca, String commonName, KeyPurposeId purpose, List<String> dnsNames,
                               List<String> ipAddresses) {
        KeyPair keys = newKeyPair();
        X509Certificate certificate = build(new X500Name("CN=" + commonName + ",O=Keyline Test"), keys,
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), ca.key(), false,
                purpose, dnsNames, ipAddresses);
        return new Issued(keys.getPrivate(), certificate, new X509Certificate[] {certificate, ca.certificate()});
    }

    private static X509Certificate build(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey issuerKey,
                                         boolean ca, KeyPurposeId purpose, List<String> dnsNames,
                                         List<String> ipAddresses) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
            ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("could not issue test certificate", e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
