package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.expected;
import static dev.keyline.keys.OpensslFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.KeyType;
import dev.keyline.keys.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateSummaryTest {

  private static final DateTimeFormatter OPENSSL_ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssX");

  @ParameterizedTest
  @ValueSource(strings = {"cert", "leaf", "intermediate", "root"})
  void fieldsEqualWhatOpensslPrints(String name) {
    CertificateSummary summary = CertificateSummary.of(Certificates.parseChain(text(name + ".pem")).get(0));

    assertThat(summary.subject()).isEqualTo(expected(name + ".subject"));
    assertThat(summary.issuer()).isEqualTo(expected(name + ".issuer"));
    assertThat(summary.serialNumberHex()).isEqualTo(expected(name + ".serial"));
    assertThat(summary.notBefore()).isEqualTo(instant(expected(name + ".notBefore")));
    assertThat(summary.notAfter()).isEqualTo(instant(expected(name + ".notAfter")));
    assertThat(summary.sha256Fingerprint()).isEqualTo(expected(name + ".sha256"));
    assertThat(summary.publicKeyAlgorithm()).isEqualTo("RSA");
    assertThat(summary.publicKeySizeBits()).isEqualTo(Integer.parseInt(expected(name + ".keyBits")));
  }

  @Test
  void ecCertificateAgainstLiveOpenssl() {
    Issued ca = TestPki.ca("CN=Summary CA,O=Keyline\\, Inc.", KeyType.EC_P256);
    Issued client = TestPki.client(ca, "CN=svc-reporting,OU=Data,O=Keyline", KeyType.EC_P256);
    CertificateSummary summary = CertificateSummary.of(client.certificate());

    byte[] pem = client.certificatePem().getBytes(StandardCharsets.US_ASCII);
    assertThat(summary.subject()).isEqualTo(openssl(pem, "-subject").replaceFirst("^subject=", ""));
    assertThat(summary.issuer()).isEqualTo(openssl(pem, "-issuer").replaceFirst("^issuer=", ""));
    assertThat(summary.serialNumberHex()).isEqualTo(openssl(pem, "-serial").replaceFirst("^serial=", ""));
    assertThat(summary.notAfter()).isEqualTo(instant(openssl(pem, "-enddate").replaceFirst("^notAfter=", "")));
    assertThat(summary.sha256Fingerprint()).isEqualTo(openssl(pem, "-fingerprint", "-sha256").replaceFirst("^.*=", ""));
    assertThat(summary.publicKeyAlgorithm()).isEqualTo("EC");
    assertThat(summary.publicKeySizeBits()).isEqualTo(256);
  }

  private static String openssl(byte[] pem, String... options) {
    String[] args = new String[options.length + 6];
    args[0] = "x509";
    args[1] = "-noout";
    args[2] = "-nameopt";
    args[3] = "RFC2253";
    args[4] = "-dateopt";
    args[5] = "iso_8601";
    System.arraycopy(options, 0, args, 6, options.length);
    return Openssl.run(Map.of(), pem, args).strip();
  }

  private static Instant instant(String opensslIso) {
    return ZonedDateTime.parse(opensslIso, OPENSSL_ISO).toInstant();
  }
}
