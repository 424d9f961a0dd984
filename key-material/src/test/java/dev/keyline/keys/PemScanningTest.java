package dev.keyline.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PEM scanner is linear-time and reads exactly what the regular expressions it replaced read.
 *
 * <p>The worst cases are runs that made the old backtracking patterns quadratic (65,000 backslashes
 * took 48 s). The 2-second guard is not a performance target: it only catches a return to
 * seconds-to-minutes blow-ups. Equivalence is checked against the old patterns, kept here as the
 * oracle, on many small random texts over the alphabet that matters.
 */
class PemScanningTest {

  private static final int SIZE = 64 * 1024;
  private static final Duration GUARD = Duration.ofSeconds(2);

  static Stream<Arguments> worstCases() {
    List<Arguments> cases = new ArrayList<>();
    String[] runs = {"\\", "-", "=", " ", "\r\n", "\\r", "\\\\r\\", "-----BEGIN X-----\n", "-----BEGIN ", "-----END X-----\n",
        "--- BEGIN ", "a.", "A", "\\n", "Proc-Type: 4,ENCRYPTED\n", "a:b ", "-BEGIN -", "\n", "\t-", "=\n"};
    for (String run : runs) {
      String payload = run.repeat(SIZE / run.length());
      cases.add(Arguments.of(label(run), payload));
      cases.add(Arguments.of("BEGIN + " + label(run), "-----BEGIN PRIVATE KEY-----\n" + payload));
      cases.add(Arguments.of("block of " + label(run), "-----BEGIN PRIVATE KEY-----\n" + payload + "\n-----END PRIVATE KEY-----\n"));
      cases.add(Arguments.of("quoted " + label(run), "\"" + payload + "\""));
    }
    cases.add(Arguments.of("label of 64 KiB", "-----BEGIN " + "A".repeat(SIZE) + "-----"));
    cases.add(Arguments.of("dashes then END", "-".repeat(SIZE) + "END X-----"));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("worstCases")
  void worstCaseTextIsRefusedQuickly(String name, String payload) {
    for (Function<String, ?> parser : List.<Function<String, ?>>of(
        text -> PrivateKeys.parse(text, "pass".toCharArray()),
        Certificates::parseChain,
        PublicKeys::parse,
        text -> PemText.normalize(text, "PRIVATE KEY"))) {
      Assertions.assertTimeoutPreemptively(GUARD, () -> {
        try {
          parser.apply(payload); // only PemText.normalize accepts some of them (e.g. a block of 'A's)
        } catch (KeyMaterialException e) {
          assertThat(e.getMessage()).hasSizeLessThan(400);
        }
      });
    }
  }

  @Test
  void manyHeaderLinesAreRefused() {
    String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + "X-Header: value\n".repeat(SIZE / 16) + "\nAAAA\n-----END RSA PRIVATE KEY-----\n";
    Assertions.assertThrows(KeyMaterialException.class, () -> PemText.normalize(pem, "PRIVATE KEY"));
  }

  @Test
  void deeplyNestedDerIsRefusedNotAStackOverflow() {
    // SEQUENCE { SEQUENCE { ... } } 20,000 deep, as bare base64: a parser that recurses per level overflows.
    int depth = 20_000;
    byte[] der = nestedSequences(depth);
    String base64 = java.util.Base64.getEncoder().encodeToString(der);
    Assertions.assertTimeoutPreemptively(GUARD, () -> {
      KeyMaterialException e = Assertions.assertThrows(KeyMaterialException.class, () -> PrivateKeys.parse(base64, null));
      assertThat(e.reason()).isIn(Reason.NOT_PEM, Reason.MALFORMED);
      Assertions.assertThrows(KeyMaterialException.class,
          () -> Certificates.parseChain("-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n"));
    });
  }

  private static byte[] nestedSequences(int depth) {
    // Definite lengths, built from the inside out: 30 00, then 30 len(inner) inner, ...
    byte[] inner = {0x30, 0x00};
    for (int i = 1; i < depth; i++) {
      int len = inner.length;
      byte[] lengthBytes = len < 0x80 ? new byte[] {(byte) len}
          : len < 0x100 ? new byte[] {(byte) 0x81, (byte) len}
          : len < 0x10000 ? new byte[] {(byte) 0x82, (byte) (len >> 8), (byte) len}
          : new byte[] {(byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
      byte[] outer = new byte[1 + lengthBytes.length + len];
      outer[0] = 0x30;
      System.arraycopy(lengthBytes, 0, outer, 1, lengthBytes.length);
      System.arraycopy(inner, 0, outer, 1 + lengthBytes.length, len);
      inner = outer;
    }
    return inner;
  }

  @Test
  void unescapeReadsWhatTheOldPatternRead() {
    Random random = new Random(20261205);
    String[] alphabet = {"\\", "\\", "n", "r", "t", "/", "\r", "\n", "x", " ", "\""};
    for (int i = 0; i < 50_000; i++) {
      String text = randomText(random, alphabet, 14);
      assertThat(PemBlocks.unescape(text)).as("unescape of [%s]", text).isEqualTo(Oracle.unescape(text));
    }
  }

  @Test
  void blocksAreFoundWhereTheOldPatternsFoundThem() {
    Random random = new Random(5);
    String[] alphabet = {"-", "-", "---", "-----", " ", "\n", "\t", "BEGIN ", "END ", "begin ", "A", "b", "1", "QUJD", "=",
        "Proc-Type: 4,ENCRYPTED\n", "X:", " "};
    int compared = 0;
    for (int i = 0; i < 50_000; i++) {
      String text = randomText(random, alphabet, 16);
      compared++;
      assertThat(outcome(() -> PemText.normalize(text, "PRIVATE KEY")))
          .as("normalize of [%s]", text)
          .isEqualTo(outcome(() -> Oracle.normalize(text)));
    }
    assertThat(compared).isEqualTo(50_000);
  }

  @Test
  void wellFormedBlocksAgree() {
    for (String fixture : List.of("rsa2048-pkcs8.pem", "rsa2048-pkcs1-encrypted.pem", "chain.pem", "ec-p256-sec1.pem")) {
      String pem = OpensslFixtures.text(fixture);
      for (String variant : List.of(pem, pem.replace("\n", " "), pem.replace("\n", "\\n"), pem.replace("\n", "\\\\r\\\\n"),
          pem.replace("-----BEGIN ", "---- BEGIN "), pem.toLowerCase(java.util.Locale.ROOT).replace("proc-type", "Proc-Type"))) {
        assertThat(outcome(() -> PemText.normalize(variant, "PRIVATE KEY")))
            .isEqualTo(outcome(() -> Oracle.normalize(variant)));
      }
    }
  }

  private static String outcome(java.util.function.Supplier<String> run) {
    try {
      return "ok:" + run.get();
    } catch (KeyMaterialException e) {
      return "error:" + e.reason();
    }
  }

  private static String randomText(Random random, String[] alphabet, int maxParts) {
    StringBuilder text = new StringBuilder();
    int parts = random.nextInt(maxParts + 1);
    for (int p = 0; p < parts; p++) {
      text.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return text.toString();
  }

  private static String label(String run) {
    return run.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t") + " x " + (SIZE / run.length());
  }

  /** The regular expressions PemBlocks used until it scanned by hand: fine on small texts, quadratic on long runs. */
  static final class Oracle {
    private static final Pattern ESCAPE = Pattern.compile("\\\\+(?:r\\\\+n|n|r|t|/)");
    private static final Pattern BEGIN =
        Pattern.compile("-{3,}\\s?BEGIN ([A-Z0-9][A-Z0-9 ]{0,40}?)\\s?-{3,}", Pattern.CASE_INSENSITIVE);
    private static final Pattern END =
        Pattern.compile("-{3,}\\s?END ([A-Z0-9][A-Z0-9 ]{0,40}?)\\s?-{3,}", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADER = Pattern.compile("([A-Za-z][A-Za-z0-9-]{0,40}):[ \\t]*(\\S+)\\s*");
    private static final Pattern BASE64_BODY = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    static String unescape(String raw) {
      String text = raw.replace("\uFEFF", "").strip();
      if (text.length() >= 2 && (text.charAt(0) == '"' || text.charAt(0) == '\'')
          && text.charAt(text.length() - 1) == text.charAt(0)) {
        text = text.substring(1, text.length() - 1);
      }
      text = ESCAPE.matcher(text).replaceAll(m -> {
        char kind = m.group().charAt(m.group().length() - 1);
        return kind == '/' ? "/" : kind == 't' ? " " : "\n";
      });
      return text.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** Only the block structure: bare-body texts (no BEGIN) go to the production path, which is not under test here. */
    static String normalize(String raw) {
      if (raw == null || raw.isBlank()) {
        throw new KeyMaterialException(Reason.NOT_PEM, "none");
      }
      String text = unescape(raw);
      Matcher begin = BEGIN.matcher(text);
      List<PemBlock> blocks = new ArrayList<>();
      int from = 0;
      while (begin.find(from)) {
        String label = begin.group(1).strip().replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT);
        Matcher end = END.matcher(text).region(begin.end(), text.length());
        if (!end.find()) {
          throw new KeyMaterialException(Reason.MALFORMED, "no end");
        }
        String endLabel = end.group(1).strip().replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT);
        if (!endLabel.equals(label)) {
          throw new KeyMaterialException(Reason.MALFORMED, "other end");
        }
        blocks.add(block(label, text.substring(begin.end(), end.start())));
        from = end.end();
      }
      if (blocks.isEmpty()) {
        if (END.matcher(text).find()) {
          throw new KeyMaterialException(Reason.MALFORMED, "end without begin");
        }
        return PemText.normalize(raw, "PRIVATE KEY");
      }
      for (PemBlock block : blocks) {
        if (DerKind.of(PemBlocks.decodeQuietly(block.base64())) == DerKind.PKCS12) {
          throw PemBlocks.pkcs12();
        }
      }
      return PemBlocks.write(blocks);
    }

    private static PemBlock block(String label, String inner) {
      String rest = inner.strip();
      java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
      Matcher header = HEADER.matcher(rest);
      while (header.lookingAt()) {
        headers.put(header.group(1), header.group(2));
        rest = rest.substring(header.end());
        header = HEADER.matcher(rest);
      }
      String body = rest.replaceAll("\\s+", "");
      if (body.isEmpty() || !BASE64_BODY.matcher(body).matches()) {
        throw new KeyMaterialException(Reason.MALFORMED, "body");
      }
      return new PemBlock(label, headers, body);
    }
  }
}
