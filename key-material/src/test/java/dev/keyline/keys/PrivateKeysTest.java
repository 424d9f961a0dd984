package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.body;
import static dev.keyline.keys.OpensslFixtures.expected;
import static dev.keyline.keys.OpensslFixtures.passphrase;
import static dev.keyline.keys.OpensslFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrivateKeysTest {

  private static final String RSA_FP = "SHA256:" + expected("rsa2048.spki.sha256");
  private static final String EC_FP = "SHA256:" + expected("ec-p256.spki.sha256");

  static Stream<Arguments> rsaForms() {
    return Stream.of(
        Arguments.of("rsa2048-pkcs8.pem", false),
        Arguments.of("rsa2048-pkcs8-des3.pem", true),
        Arguments.of("rsa2048-pkcs8-aes256.pem", true),
        Arguments.of("rsa2048-pkcs8-pbes1.pem", true),
        Arguments.of("rsa2048-pkcs1.pem", false),
        Arguments.of("rsa2048-pkcs1-encrypted.pem", true));
  }

  @ParameterizedTest
  @MethodSource("rsaForms")
  void everyOpensslRsaFormParsesToOpensslsFingerprint(String fixture, boolean encrypted) {
    ParsedPrivateKey key = PrivateKeys.parse(text(fixture), encrypted ? passphrase() : null);

    assertThat(Fingerprints.spkiSha256(key.publicKey())).isEqualTo(RSA_FP);
    assertThat(key.algorithm()).isEqualTo("RSA");
    assertThat(key.sizeBits()).isEqualTo(2048);
    assertThat(key.wasEncrypted()).isEqualTo(encrypted);
    assertThat(key.privateKey()).isInstanceOf(RSAPrivateCrtKey.class);
    assertThat(key.privateKey().getClass().getName()).as("JDK key class").startsWith("sun.security.");
    assertThat(key.privateKey().getEncoded())
        .isEqualTo(PrivateKeys.parse(text("rsa2048-pkcs8.pem"), null).privateKey().getEncoded());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ec-p256-sec1.pem", "ec-p256-pkcs8.pem", "ec-p256-pkcs8-aes256.pem"})
  void everyOpensslEcFormParsesToOpensslsFingerprint(String fixture) {
    ParsedPrivateKey key = PrivateKeys.parse(text(fixture), fixture.contains("aes256") ? passphrase() : null);

    assertThat(Fingerprints.spkiSha256(key.publicKey())).isEqualTo(EC_FP);
    assertThat(key.algorithm()).isEqualTo("EC");
    assertThat(key.sizeBits()).isEqualTo(256);
    assertThat(key.wasEncrypted()).isEqualTo(fixture.contains("aes256"));
    assertThat(key.privateKey()).isInstanceOf(ECPrivateKey.class);
    assertThat(key.privateKey().getClass().getName()).startsWith("sun.security.");
  }

  @Test
  void sec1KeyWithoutItsEcParametersBlockParses() {
    String sec1 = text("ec-p256-sec1.pem");
    String withoutParameters = sec1.substring(sec1.indexOf("-----BEGIN EC PRIVATE KEY"));

    assertThat(Fingerprints.spkiSha256(PrivateKeys.parse(withoutParameters, null).publicKey())).isEqualTo(EC_FP);
  }

  static Stream<Arguments> pastedForms() {
    return Stream.of(
        Arguments.of("JSON \\n escapes", (UnaryOperator<String>) s -> s.replace("\n", "\\n")),
        Arguments.of("JSON double-escaped \\\\n", (UnaryOperator<String>) s -> s.replace("\n", "\\\\n")),
        Arguments.of("JSON string with quotes and \\/", (UnaryOperator<String>) s -> '"' + s.replace("\n", "\\n").replace("/", "\\/") + '"'),
        Arguments.of("CRLF", (UnaryOperator<String>) s -> s.replace("\n", "\r\n")),
        Arguments.of("CR", (UnaryOperator<String>) s -> s.replace("\n", "\r")),
        Arguments.of("no trailing newline", (UnaryOperator<String>) String::strip),
        Arguments.of("leading spaces and indentation", (UnaryOperator<String>) s -> "   \n\t" + s.replace("\n", "\n    ")),
        Arguments.of("newlines flattened to spaces", (UnaryOperator<String>) s -> s.replace("\n", " ")),
        Arguments.of("body as one long line", (UnaryOperator<String>) PrivateKeysTest::bodyOnOneLine),
        Arguments.of("byte order mark", (UnaryOperator<String>) s -> "\uFEFF" + s));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pastedForms")
  void pastedFormsOfPlainKeyParse(String form, UnaryOperator<String> mangle) {
    assertThat(Fingerprints.spkiSha256(PrivateKeys.parse(mangle.apply(text("rsa2048-pkcs8.pem")), null).publicKey()))
        .isEqualTo(RSA_FP);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pastedForms")
  void pastedFormsOfLegacyEncryptedKeyParse(String form, UnaryOperator<String> mangle) {
    assertThat(Fingerprints.spkiSha256(PrivateKeys.parse(mangle.apply(text("rsa2048-pkcs1-encrypted.pem")), passphrase()).publicKey()))
        .isEqualTo(RSA_FP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa2048-pkcs8.pem", "rsa2048-pkcs1.pem", "ec-p256-pkcs8.pem"})
  void bareBase64BodyParses(String fixture) {
    String bare = body(fixture);
    ParsedPrivateKey key = PrivateKeys.parse(bare, null);
    assertThat(Fingerprints.spkiSha256(key.publicKey())).isIn(RSA_FP, EC_FP);
    assertThat(Fingerprints.spkiSha256(PrivateKeys.parse("  " + bare.replaceAll("(.{76})", "$1\n") + "\n", null).publicKey()))
        .isEqualTo(Fingerprints.spkiSha256(key.publicKey()));
  }

  @Test
  void bareBase64OfEncryptedPkcs8Parses() {
    ParsedPrivateKey key = PrivateKeys.parse(body("rsa2048-pkcs8-aes256.pem"), passphrase());
    assertThat(Fingerprints.spkiSha256(key.publicKey())).isEqualTo(RSA_FP);
    assertThat(key.wasEncrypted()).isTrue();
  }

  @Test
  void pkcs1BodyMislabelledAsPrivateKeyParses() {
    String mislabelled = text("rsa2048-pkcs1.pem").replace("RSA PRIVATE KEY", "PRIVATE KEY");
    assertThat(Fingerprints.spkiSha256(PrivateKeys.parse(mislabelled, null).publicKey())).isEqualTo(RSA_FP);
  }

  @Test
  void certificateNextToTheKeyIsIgnored() {
    ParsedPrivateKey key = PrivateKeys.parse(text("cert.pem") + text("cert-key.pem"), null);
    assertThat(Fingerprints.spkiSha256(key.publicKey())).isEqualTo("SHA256:" + expected("cert-key.spki.sha256"));
  }

  /**
   * A passphrase sent with a key that is not encrypted was silently ignored: the caller could believe
   * the key protected, or the passphrase checked. Refused as Python's cryptography (Snowflake's Python
   * connector) refuses it; an empty or blank one (an empty form field) still counts as none.
   */
  @ParameterizedTest
  @ValueSource(strings = {"rsa2048-pkcs8.pem", "rsa2048-pkcs1.pem", "ec-p256-sec1.pem", "ec-p256-pkcs8.pem"})
  void aPassphraseWithAnUnencryptedKeyIsRefused(String fixture) {
    char[] secret = "correct horse battery".toCharArray();
    KeyMaterialException e = assertReason(() -> PrivateKeys.parse(text(fixture), secret), Reason.KEY_NOT_ENCRYPTED);
    assertThat(e.getMessage())
        .isEqualTo("A passphrase was given but the private key is not encrypted; leave the passphrase out (or empty) "
            + "for an unencrypted key.")
        .doesNotContain("correct horse");
    assertThat(String.valueOf(secret)).as("the caller's array is left as it was").isEqualTo("correct horse battery");

    for (String none : new String[] {"", "   ", "\t\n"}) {
      assertThat(PrivateKeys.parse(text(fixture), none.toCharArray()).wasEncrypted()).as("blank: none").isFalse();
    }
    // A record stored before this rule (a passphrase kept next to a plain key) stays readable.
    assertThat(PrivateKeys.parseStored(text(fixture), secret, KdfLimits.DEFAULT).wasEncrypted()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "rsa2048-pkcs8-des3.pem", "rsa2048-pkcs8-aes256.pem", "rsa2048-pkcs8-pbes1.pem",
      "rsa2048-pkcs1-encrypted.pem", "ec-p256-pkcs8-aes256.pem"})
  void wrongPassphrase(String fixture) {
    KeyMaterialException e = assertReason(() -> PrivateKeys.parse(text(fixture), "not-the-passphrase".toCharArray()), Reason.WRONG_PASSPHRASE);
    // the provider's exception is kept for debugging, reduced to its type name
    assertThat(e.getCause()).isNotNull();
    assertThat(e.getCause().getMessage()).matches("[a-z][\\w.$]+\\.[A-Z]\\w*");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa2048-pkcs8-des3.pem", "rsa2048-pkcs8-aes256.pem", "rsa2048-pkcs1-encrypted.pem"})
  void missingPassphrase(String fixture) {
    assertReason(() -> PrivateKeys.parse(text(fixture), null), Reason.PASSPHRASE_REQUIRED);
    assertReason(() -> PrivateKeys.parse(text(fixture), new char[0]), Reason.PASSPHRASE_REQUIRED);
  }

  @Test
  void twoKeys() {
    assertReason(() -> PrivateKeys.parse(text("rsa2048-pkcs8.pem") + text("ec-p256-pkcs8.pem"), null), Reason.MULTIPLE_KEYS);
    assertReason(() -> PrivateKeys.parse(text("rsa2048-pkcs1.pem") + text("rsa2048-pkcs1.pem"), null), Reason.MULTIPLE_KEYS);
  }

  @Test
  void pkcs12() {
    assertReason(() -> PrivateKeys.parse(text("cert.p12.b64"), passphrase()), Reason.PKCS12_NOT_SUPPORTED);
    String rawBytes = new String(OpensslFixtures.bytes("cert.p12"), StandardCharsets.ISO_8859_1);
    assertReason(() -> PrivateKeys.parse(rawBytes, passphrase()), Reason.PKCS12_NOT_SUPPORTED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hello world", "not a key!", "{\"key\": 42}", "-----", "MIIB"})
  void garbageIsNotPem(String garbage) {
    assertReason(() -> PrivateKeys.parse(garbage, null), Reason.NOT_PEM);
  }

  @Test
  void nothingIsNotPem() {
    assertReason(() -> PrivateKeys.parse(null, null), Reason.NOT_PEM);
    assertReason(() -> PrivateKeys.parse(" \n ", null), Reason.NOT_PEM);
  }

  @Test
  void rsa1024IsTooSmall() {
    KeyMaterialException e = assertReason(() -> PrivateKeys.parse(text("rsa1024-pkcs8.pem"), null), Reason.KEY_TOO_SMALL);
    assertThat(e.getMessage()).contains("1024").contains("2048");
  }

  @Test
  void ed25519IsUnsupportedAndNamed() {
    KeyMaterialException e = assertReason(() -> PrivateKeys.parse(text("ed25519-pkcs8.pem"), null), Reason.UNSUPPORTED_ALGORITHM);
    assertThat(e.getMessage()).contains("Ed25519");
  }

  @Test
  void dsaIsUnsupportedAndNamed() {
    KeyMaterialException e = assertReason(() -> PrivateKeys.parse(text("dsa-pkcs8.pem"), null), Reason.UNSUPPORTED_ALGORITHM);
    assertThat(e.getMessage()).contains("DSA");
    // connection-service refuses an EC key next ("needs an RSA key"): the message must not call EC supported as such.
    assertThat(e.getMessage()).contains("EC keys for client certificates").doesNotContain("only RSA and EC");
  }

  @Test
  void certificateOnlyHasNoKey() {
    assertReason(() -> PrivateKeys.parse(text("cert.pem"), null), Reason.NO_KEY);
    assertReason(() -> PrivateKeys.parse(body("cert.pem"), null), Reason.NO_KEY);
    assertReason(() -> PrivateKeys.parse(text("rsa2048-public.pem"), null), Reason.NO_KEY);
  }

  @Test
  void damagedKeysAreMalformed() {
    String pem = text("rsa2048-pkcs8.pem");
    String truncated = pem.substring(0, 200) + pem.substring(pem.indexOf("-----END"));
    assertReason(() -> PrivateKeys.parse(truncated, null), Reason.MALFORMED);
    assertReason(() -> PrivateKeys.parse(pem.replace("-----END PRIVATE KEY-----", ""), null), Reason.MALFORMED);
    assertReason(() -> PrivateKeys.parse(pem.replace("-----END PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"), null), Reason.MALFORMED);
    assertReason(() -> PrivateKeys.parse(pem.replaceFirst("\n[A-Za-z0-9+/]", "\n*"), null), Reason.MALFORMED);
  }

  /** Keeps BEGIN/END and header lines, joins the base64 lines into one. */
  static String bodyOnOneLine(String pem) {
    StringBuilder out = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : pem.strip().split("\n")) {
      if (line.startsWith("-----END")) {
        out.append(body).append('\n').append(line).append('\n');
        body.setLength(0);
      } else if (line.startsWith("-----") || line.contains(":") || line.isEmpty()) {
        out.append(line).append('\n');
      } else {
        body.append(line);
      }
    }
    return out.toString();
  }

  static KeyMaterialException assertReason(Runnable call, Reason reason) {
    try {
      call.run();
    } catch (KeyMaterialException e) {
      assertThat(e.reason()).as("reason (message: %s)", e.getMessage()).isEqualTo(reason);
      assertThat(e.getMessage()).isNotBlank();
      return e;
    }
    throw new AssertionError("expected KeyMaterialException " + reason);
  }
}
