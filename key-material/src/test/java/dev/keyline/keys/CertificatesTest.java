package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.body;
import static dev.keyline.keys.OpensslFixtures.expected;
import static dev.keyline.keys.OpensslFixtures.text;
import static dev.keyline.keys.PrivateKeysTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificatesTest {

  @Test
  void parsesOneCertificate() {
    List<X509Certificate> chain = Certificates.parseChain(text("cert.pem"));
    assertThat(chain).hasSize(1);
    assertThat(Fingerprints.certificateSha256(chain.get(0))).isEqualTo(expected("cert.sha256"));
  }

  @Test
  void parsesChainInGivenOrder() {
    List<X509Certificate> chain = Certificates.parseChain(text("chain.pem"));
    assertThat(chain).extracting(Fingerprints::certificateSha256)
        .containsExactly(expected("leaf.sha256"), expected("intermediate.sha256"), expected("root.sha256"));
  }

  @Test
  void toPemWritesWhatOpensslWrites() {
    assertThat(Certificates.toPem(Certificates.parseChain(text("chain.pem")))).isEqualTo(text("chain.pem"));
    assertThat(Certificates.toPem(List.of())).isEmpty();
  }

  @Test
  void acceptsPastedForms() {
    assertThat(Certificates.parseChain(body("cert.pem"))).hasSize(1);
    assertThat(Certificates.parseChain(text("chain.pem").replace("\n", "\\n"))).hasSize(3);
    assertThat(Certificates.parseChain(text("chain.pem").replace("\n", "\r\n").strip())).hasSize(3);
  }

  @Test
  void ignoresAKeyPastedAlong() {
    assertThat(Certificates.parseChain(text("cert-key.pem") + text("cert.pem"))).hasSize(1);
  }

  @Test
  void errors() {
    assertReason(() -> Certificates.parseChain(text("cert-key.pem")), Reason.NO_CERTIFICATE);
    assertReason(() -> Certificates.parseChain(body("rsa2048-pkcs8.pem")), Reason.NO_CERTIFICATE);
    assertReason(() -> Certificates.parseChain(text("cert.p12.b64")), Reason.PKCS12_NOT_SUPPORTED);
    assertReason(() -> Certificates.parseChain("certificate goes here"), Reason.NOT_PEM);
    assertReason(() -> Certificates.parseChain(null), Reason.NOT_PEM);
    String cert = text("cert.pem");
    String truncated = cert.substring(0, 300) + cert.substring(cert.indexOf("-----END"));
    assertReason(() -> Certificates.parseChain(truncated), Reason.MALFORMED);
    String keyLabelledAsCertificate = text("rsa2048-pkcs8.pem").replace("PRIVATE KEY", "CERTIFICATE");
    assertReason(() -> Certificates.parseChain(keyLabelledAsCertificate), Reason.MALFORMED);
  }
}
