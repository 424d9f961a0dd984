package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.body;
import static dev.keyline.keys.OpensslFixtures.expected;
import static dev.keyline.keys.OpensslFixtures.text;
import static dev.keyline.keys.PrivateKeysTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.security.PublicKey;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PublicKeysTest {

  private final PublicKey rsa = PrivateKeys.parse(text("rsa2048-pkcs8.pem"), null).publicKey();

  @Test
  void toPemIsWhatOpensslPuboutWrites() {
    assertThat(PublicKeys.toPem(rsa)).isEqualTo(text("rsa2048-public.pem"));
  }

  @Test
  void toBase64DerIsOneLineOfTheSpki() {
    assertThat(PublicKeys.toBase64Der(rsa)).isEqualTo(body("rsa2048-public.pem")).doesNotContain("\n", " ", "\r");
  }

  @Test
  void parsesPemAndBareBase64InAnyWhitespace() {
    String base64 = body("rsa2048-public.pem");
    for (String form : new String[] {
        text("rsa2048-public.pem"), base64, " " + base64 + "\n", base64.replaceAll("(.{60})", "$1\r\n"),
        base64.replaceAll("(.{50})", "$1 "), text("rsa2048-public.pem").replace("\n", "\\n")}) {
      assertThat(PublicKeys.parse(form)).isEqualTo(rsa);
    }
  }

  @Test
  void parsesPkcs1RsaPublicKeyAndEc() {
    String pkcs1 = Openssl.run(Map.of(), text("rsa2048-public.pem").getBytes(), "rsa", "-pubin", "-RSAPublicKey_out");
    assertThat(pkcs1).contains("BEGIN RSA PUBLIC KEY");
    assertThat(PublicKeys.parse(pkcs1)).isEqualTo(rsa);

    PublicKey ec = PrivateKeys.parse(text("ec-p256-pkcs8.pem"), null).publicKey();
    assertThat(PublicKeys.parse(PublicKeys.toPem(ec))).isEqualTo(ec);
  }

  /** The PEM's lines between BEGIN and END, as openssl wrapped them (64 columns, '\n'). */
  private static String bodyLines(String pem) {
    return pem.lines().filter(l -> !l.startsWith("-----")).collect(Collectors.joining("\n"));
  }

  /**
   * What users paste of {@code openssl rsa -in rsa_key.p8 -pubout} (and -RSAPublicKey_out): each
   * form is read as the private-key parser reads the same form of a private key, and gives the
   * fingerprint openssl computed for the PEM (the one Snowflake shows as RSA_PUBLIC_KEY_FP).
   */
  static java.util.stream.Stream<Arguments> pastedForms() {
    String pem = text("rsa2048-public.pem");
    String pkcs1 = Openssl.run(Map.of(), pem.getBytes(), "rsa", "-pubin", "-RSAPublicKey_out");
    return java.util.stream.Stream.of(
        Arguments.of("PEM as openssl writes it", pem),
        Arguments.of("base64 lines without BEGIN/END (Snowflake's docs)", bodyLines(pem)),
        Arguments.of("base64 lines without BEGIN/END, CRLF, trailing newline", bodyLines(pem).replace("\n", "\r\n") + "\r\n"),
        Arguments.of("PEM with CRLF line ends", pem.replace("\n", "\r\n")),
        Arguments.of("PEM with trailing spaces on every line", pem.replace("\n", "   \n")),
        Arguments.of("PEM followed by two blank lines", pem + "\n\n"),
        Arguments.of("PEM with two leading spaces", "  " + pem),
        Arguments.of("PEM with every line indented", pem.lines().map(l -> "  " + l + "\n").collect(Collectors.joining())),
        Arguments.of("PEM with JSON \\n escapes", pem.replace("\n", "\\n")),
        Arguments.of("PEM on one line (newlines flattened to spaces)", pem.replace("\n", " ")),
        Arguments.of("PKCS#1 RSA PUBLIC KEY PEM", pkcs1),
        Arguments.of("PKCS#1 RSA PUBLIC KEY with CRLF", pkcs1.replace("\n", "\r\n")),
        Arguments.of("PKCS#1 base64 lines without BEGIN/END", bodyLines(pkcs1)),
        Arguments.of("SPKI mislabelled RSA PUBLIC KEY", pem.replace("PUBLIC KEY", "RSA PUBLIC KEY")),
        Arguments.of("PKCS#1 mislabelled PUBLIC KEY", pkcs1.replace("RSA PUBLIC KEY", "PUBLIC KEY")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pastedForms")
  void everyPastedFormGivesThePemsFingerprint(String form, String text) {
    PublicKey key = PublicKeys.parse(text);
    assertThat(key).isEqualTo(rsa);
    assertThat(Fingerprints.spkiSha256(key)).isEqualTo("SHA256:" + expected("rsa2048.spki.sha256"));
    assertThat(PublicKeys.toPem(key)).isEqualTo(text("rsa2048-public.pem"));
  }

  @Test
  void aBlockThatIsNoPublicKeyNamesTheAcceptedForms() {
    String cert = text("cert.pem").replace("CERTIFICATE", "PUBLIC KEY");
    assertThatThrownBy(() -> PublicKeys.parse(cert))
        .isInstanceOf(KeyMaterialException.class)
        .hasMessageContaining("-----BEGIN PUBLIC KEY-----")
        .hasMessageContaining("RSA PUBLIC KEY")
        .hasMessageContaining("-pubout");
    assertThatThrownBy(() -> PublicKeys.parse(text("rsa2048-pkcs8.pem")))
        .hasMessageContaining("-pubout");
  }

  @Test
  void anythingElseIsMalformed() {
    assertReason(() -> PublicKeys.parse("not a key"), Reason.MALFORMED);
    assertReason(() -> PublicKeys.parse(null), Reason.MALFORMED);
    assertReason(() -> PublicKeys.parse(text("rsa2048-pkcs8.pem")), Reason.MALFORMED);
    assertReason(() -> PublicKeys.parse(body("rsa2048-public.pem").substring(0, 200)), Reason.MALFORMED);
    assertReason(() -> PublicKeys.parse(text("rsa2048-public.pem") + text("rsa2048-public.pem")), Reason.MALFORMED);
  }
}
