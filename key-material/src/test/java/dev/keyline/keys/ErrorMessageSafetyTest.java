package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.body;
import static dev.keyline.keys.OpensslFixtures.passphrase;
import static dev.keyline.keys.OpensslFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * KeyMaterialException promises that its message, and its whole cause chain, is safe to show:
 * never the passphrase, never any of the key material. Checked for every error case.
 */
class ErrorMessageSafetyTest {

  private static final int WINDOW = 20;
  private static final String WRONG = "Wr0ng-Passphrase-Zq9";

  private static final List<String> KEY_FIXTURES = List.of(
      "rsa2048-pkcs8.pem", "rsa2048-pkcs8-des3.pem", "rsa2048-pkcs8-aes256.pem", "rsa2048-pkcs8-pbes1.pem",
      "rsa2048-pkcs1.pem", "rsa2048-pkcs1-encrypted.pem", "ec-p256-sec1.pem", "ec-p256-pkcs8.pem",
      "ec-p256-pkcs8-aes256.pem", "rsa1024-pkcs8.pem", "ed25519-pkcs8.pem", "dsa-pkcs8.pem", "cert-key.pem",
      "leaf-key.pem", "cert.p12.b64");

  record Case(String name, Runnable call, List<String> secrets) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> errorCases() {
    String pkcs8 = text("rsa2048-pkcs8.pem");
    String truncated = pkcs8.substring(0, 400) + pkcs8.substring(pkcs8.indexOf("-----END"));
    String flipped = flipMiddleCharacter(pkcs8);
    String bareTruncated = body("rsa2048-pkcs8.pem").substring(0, 600);
    String p12Latin1 = new String(OpensslFixtures.bytes("cert.p12"), StandardCharsets.ISO_8859_1);
    char[] pass = passphrase();
    char[] wrong = WRONG.toCharArray();
    List<Case> cases = new ArrayList<>();
    for (String encrypted : List.of("rsa2048-pkcs8-des3.pem", "rsa2048-pkcs8-aes256.pem", "rsa2048-pkcs8-pbes1.pem",
        "rsa2048-pkcs1-encrypted.pem", "ec-p256-pkcs8-aes256.pem")) {
      cases.add(privateKey("wrong passphrase " + encrypted, text(encrypted), wrong));
      cases.add(privateKey("missing passphrase " + encrypted, text(encrypted), null));
      cases.add(privateKey("wrong passphrase, JSON-escaped " + encrypted, text(encrypted).replace("\n", "\\n"), wrong));
      cases.add(privateKey("corrupted " + encrypted, flipMiddleCharacter(text(encrypted)), pass));
    }
    cases.add(privateKey("two keys", pkcs8 + text("ec-p256-sec1.pem"), pass));
    cases.add(privateKey("pkcs12 base64", text("cert.p12.b64"), pass));
    cases.add(privateKey("pkcs12 bytes", p12Latin1, pass));
    cases.add(privateKey("garbage", "this is not a key, it is " + new String(pass), pass));
    cases.add(privateKey("rsa 1024", text("rsa1024-pkcs8.pem"), pass));
    cases.add(privateKey("ed25519", text("ed25519-pkcs8.pem"), pass));
    cases.add(privateKey("dsa", text("dsa-pkcs8.pem"), pass));
    cases.add(privateKey("certificate only", text("cert.pem"), pass));
    cases.add(privateKey("truncated", truncated, pass));
    cases.add(privateKey("flipped character", flipped, pass));
    cases.add(privateKey("bare truncated base64", bareTruncated, pass));
    cases.add(privateKey("missing END", pkcs8.replace("-----END PRIVATE KEY-----", ""), pass));
    cases.add(privateKey("non-base64 character", pkcs8.replaceFirst("\n[A-Za-z0-9+/]", "\n*"), pass));
    cases.add(privateKey("pkcs1 damaged", flipMiddleCharacter(text("rsa2048-pkcs1.pem")), pass));
    cases.add(privateKey("sec1 damaged", flipMiddleCharacter(text("ec-p256-sec1.pem")), pass));
    cases.add(new Case("mismatch", () -> KeyPairs.requireMatch(
        PrivateKeys.parse(pkcs8, null), Certificates.parseChain(text("cert.pem")).get(0)), List.of()));
    cases.add(new Case("certificates from a key", () -> Certificates.parseChain(pkcs8), List.of()));
    String cert = text("cert.pem");
    String truncatedCert = cert.substring(0, 500) + cert.substring(cert.indexOf("-----END"));
    cases.add(new Case("certificates from truncated", () -> Certificates.parseChain(truncatedCert), List.of()));
    cases.add(new Case("certificates from pkcs12", () -> Certificates.parseChain(text("cert.p12.b64")), List.of()));
    cases.add(new Case("public key from private key", () -> PublicKeys.parse(pkcs8), List.of()));
    cases.add(new Case("public key from truncated", () -> PublicKeys.parse(bareTruncated), List.of()));
    cases.add(new Case("normalize damaged", () -> PemText.normalize(truncated.replace("-----BEGIN PRIVATE KEY-----", ""), "PRIVATE KEY"), List.of()));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void messagesOfTheWholeChainHoldNoMaterial(Case errorCase) {
    Set<String> forbidden = forbiddenWindows(errorCase);
    Throwable thrown = null;
    try {
      errorCase.call().run();
    } catch (KeyMaterialException e) {
      thrown = e;
    }
    if (thrown == null) {
      fail("expected a KeyMaterialException for " + errorCase.name());
    }
    assertThat(thrown.getMessage()).isNotBlank();
    int depth = 0;
    for (Throwable t = thrown; t != null && depth < 20; t = t.getCause(), depth++) {
      for (String text : Stream.of(t.getMessage(), t.getLocalizedMessage(), t.toString()).filter(s -> s != null).toList()) {
        assertThat(text).doesNotContain(new String(passphrase())).doesNotContain(WRONG);
        for (int i = 0; i + WINDOW <= text.length(); i++) {
          String window = text.substring(i, i + WINDOW);
          if (forbidden.contains(window)) {
            fail("message of " + t.getClass().getSimpleName() + " quotes key material");
          }
        }
      }
    }
  }

  private static Case privateKey(String name, String input, char[] passphrase) {
    return new Case(name, () -> PrivateKeys.parse(input, passphrase), List.of(input));
  }

  /** Every 20-character window of every fixture's base64 body and of the case's own input, with and without whitespace. */
  private static Set<String> forbiddenWindows(Case errorCase) {
    List<String> sources = new ArrayList<>();
    for (String fixture : KEY_FIXTURES) {
      String text = text(fixture);
      sources.add(text.replaceAll("-----[A-Z ]+-----", "").replaceAll("(?m)^[A-Za-z-]+:.*$", "").replaceAll("\\s+", ""));
    }
    for (String secret : errorCase.secrets()) {
      sources.add(secret.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s+", ""));
    }
    Set<String> windows = new HashSet<>();
    for (String source : sources) {
      for (int i = 0; i + WINDOW <= source.length(); i++) {
        windows.add(source.substring(i, i + WINDOW));
      }
    }
    return windows;
  }

  /** Changes one base64 character in the middle of the last block's body (inside the key's numbers for RSA). */
  static String flipMiddleCharacter(String pem) {
    int bodyStart = pem.indexOf('\n', pem.lastIndexOf("-----BEGIN")) + 1;
    int bodyEnd = pem.lastIndexOf("-----END");
    int middle = (bodyStart + bodyEnd) / 2;
    while (!Character.isLetter(pem.charAt(middle))) {
      middle++;
    }
    char replacement = pem.charAt(middle) == 'A' ? 'B' : 'A';
    return pem.substring(0, middle) + replacement + pem.substring(middle + 1);
  }
}
