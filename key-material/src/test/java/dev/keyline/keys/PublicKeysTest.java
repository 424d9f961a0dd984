package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.body;
import static dev.keyline.keys.OpensslFixtures.text;
import static dev.keyline.keys.PrivateKeysTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.security.PublicKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

  @Test
  void anythingElseIsMalformed() {
    assertReason(() -> PublicKeys.parse("not a key"), Reason.MALFORMED);
    assertReason(() -> PublicKeys.parse(null), Reason.MALFORMED);
    assertReason(() -> PublicKeys.parse(text("rsa2048-pkcs8.pem")), Reason.MALFORMED);
    assertReason(() -> PublicKeys.parse(body("rsa2048-public.pem").substring(0, 200)), Reason.MALFORMED);
    assertReason(() -> PublicKeys.parse(text("rsa2048-public.pem") + text("rsa2048-public.pem")), Reason.MALFORMED);
  }
}
