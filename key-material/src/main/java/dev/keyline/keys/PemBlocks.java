package dev.keyline.keys;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM blocks out of text as users paste it, and writes canonical PEM.
 *
 * <p>Why lenient: keys arrive through web forms, JSON (with {@code \n} escaped, sometimes twice),
 * environment variables (newlines flattened to spaces), Windows clipboards ({@code \r\n}) and as
 * bare base64. All of these are unambiguous, so rejecting them only frustrates users. Everything
 * that is not recognisably PEM or base64 DER is rejected with a message that never quotes the input.
 */
final class PemBlocks {

  private static final Pattern ESCAPE = Pattern.compile("\\\\+(?:r\\\\+n|n|r|t|/)");
  private static final Pattern BEGIN =
      Pattern.compile("-{3,}\\s?BEGIN ([A-Z0-9][A-Z0-9 ]{0,40}?)\\s?-{3,}", Pattern.CASE_INSENSITIVE);
  private static final Pattern END =
      Pattern.compile("-{3,}\\s?END ([A-Z0-9][A-Z0-9 ]{0,40}?)\\s?-{3,}", Pattern.CASE_INSENSITIVE);
  private static final Pattern HEADER = Pattern.compile("([A-Za-z][A-Za-z0-9-]{0,40}):[ \\t]*(\\S+)\\s*");
  private static final Pattern BASE64_BODY = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
  private static final Pattern BARE_BASE64 = Pattern.compile("[A-Za-z0-9+/_-]+={0,2}");
  private static final int LINE_LENGTH = 64;
  /** Shorter bare base64 that is not DER is taken for random text (NOT_PEM), longer for a damaged key (MALFORMED). */
  private static final int MIN_DAMAGED_DER_BYTES = 64;

  private PemBlocks() {}

  /**
   * All PEM blocks in {@code raw}, in order; a bare base64 DER body becomes one block labelled by
   * its structure, or {@code defaultLabel} when the structure is not recognised.
   *
   * @throws KeyMaterialException NOT_PEM, MALFORMED, PKCS12_NOT_SUPPORTED
   */
  static List<PemBlock> read(String raw, String defaultLabel) {
    if (raw == null || raw.isBlank()) {
      throw new KeyMaterialException(Reason.NOT_PEM, "No PEM text was given.");
    }
    if (PemText.isPkcs12(raw)) {
      throw pkcs12();
    }
    String text = unescape(raw);
    Matcher begin = BEGIN.matcher(text);
    List<PemBlock> blocks = new ArrayList<>();
    int from = 0;
    while (begin.find(from)) {
      String label = canonicalLabel(begin.group(1));
      Matcher end = END.matcher(text).region(begin.end(), text.length());
      if (!end.find()) {
        throw malformed("The BEGIN " + label + " line has no matching END " + label + " line.");
      }
      String endLabel = canonicalLabel(end.group(1));
      if (!endLabel.equals(label)) {
        throw malformed("The BEGIN " + label + " line is closed by an END " + endLabel + " line.");
      }
      blocks.add(block(label, text.substring(begin.end(), end.start())));
      from = end.end();
    }
    if (blocks.isEmpty()) {
      if (END.matcher(text).find()) {
        throw malformed("An END line was found without its BEGIN line.");
      }
      blocks.add(bareBody(text, defaultLabel));
    }
    for (PemBlock block : blocks) {
      if (DerKind.of(decodeQuietly(block.base64())) == DerKind.PKCS12) {
        throw pkcs12();
      }
    }
    return List.copyOf(blocks);
  }

  /** Canonical PEM: the given blocks, bodies wrapped at 64 columns, '\n' line ends, final newline. */
  static String write(List<PemBlock> blocks) {
    StringBuilder out = new StringBuilder();
    for (PemBlock block : blocks) {
      out.append("-----BEGIN ").append(block.label()).append("-----\n");
      if (!block.headers().isEmpty()) {
        block.headers().entrySet().stream()
            .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(PemBlocks::headerOrder)))
            .forEach(h -> out.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
        out.append('\n');
      }
      String body = block.base64();
      for (int i = 0; i < body.length(); i += LINE_LENGTH) {
        out.append(body, i, Math.min(body.length(), i + LINE_LENGTH)).append('\n');
      }
      out.append("-----END ").append(block.label()).append("-----\n");
    }
    return out.toString();
  }

  /** Canonical PEM for one DER structure. */
  static String write(String label, byte[] der) {
    return write(List.of(new PemBlock(label, Map.of(), Base64.getEncoder().encodeToString(der))));
  }

  /** Adds the '=' padding some tools drop. */
  static String padded(String base64) {
    int remainder = base64.length() % 4;
    return remainder == 2 ? base64 + "==" : remainder == 3 ? base64 + "=" : base64;
  }

  /** Bytes of base64 text (whitespace ignored, padding optional, url-safe alphabet accepted); null if not base64. */
  static byte[] decodeQuietly(String base64) {
    String compact = base64.replaceAll("\\s+", "").replace('-', '+').replace('_', '/');
    if (compact.isEmpty() || !BASE64_BODY.matcher(compact).matches()) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(padded(compact));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Undoes JSON/string escaping and unifies line ends; see the class comment for why. */
  static String unescape(String raw) {
    String text = raw.replace("\uFEFF", "").strip();
    if (text.length() >= 2
        && (text.charAt(0) == '"' || text.charAt(0) == '\'')
        && text.charAt(text.length() - 1) == text.charAt(0)) {
      text = text.substring(1, text.length() - 1);
    }
    text = ESCAPE.matcher(text).replaceAll(m -> {
      char kind = m.group().charAt(m.group().length() - 1);
      return kind == '/' ? "/" : kind == 't' ? " " : "\n";
    });
    return text.replace("\r\n", "\n").replace('\r', '\n');
  }

  private static PemBlock block(String label, String inner) {
    String rest = inner.strip();
    Map<String, String> headers = new LinkedHashMap<>();
    Matcher header = HEADER.matcher(rest);
    while (header.lookingAt()) {
      headers.put(header.group(1), header.group(2));
      rest = rest.substring(header.end());
      header = HEADER.matcher(rest);
    }
    String body = rest.replaceAll("\\s+", "");
    if (body.isEmpty()) {
      throw malformed("The " + label + " block is empty.");
    }
    if (!BASE64_BODY.matcher(body).matches()) {
      throw malformed("The " + label + " block contains characters that are not base64.");
    }
    return new PemBlock(label, headers, body);
  }

  private static PemBlock bareBody(String text, String defaultLabel) {
    String body = text.replaceAll("\\s+", "");
    byte[] der = BARE_BASE64.matcher(body).matches() ? decodeQuietly(body) : null;
    if (der == null || der.length < 2 || der[0] != 0x30) {
      throw new KeyMaterialException(
          Reason.NOT_PEM,
          "The text is neither PEM (-----BEGIN ...----- lines) nor base64 of a DER structure.");
    }
    DerKind kind = DerKind.of(der);
    if (kind == DerKind.PKCS12) {
      throw pkcs12();
    }
    if (kind == DerKind.UNKNOWN && !isCompleteDer(der)) {
      if (der.length < MIN_DAMAGED_DER_BYTES) {
        throw new KeyMaterialException(
            Reason.NOT_PEM, "The text is neither PEM (-----BEGIN ...----- lines) nor base64 of a DER structure.");
      }
      throw malformed("The text looks like base64 DER but is truncated or damaged.");
    }
    String label = kind.pemLabel != null ? kind.pemLabel : defaultLabel;
    return new PemBlock(label, Map.of(), Base64.getEncoder().encodeToString(der));
  }

  private static boolean isCompleteDer(byte[] der) {
    try {
      org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der);
      return true;
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  private static String canonicalLabel(String label) {
    return label.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
  }

  private static String headerOrder(String name) {
    return name.equalsIgnoreCase("Proc-Type") ? "0" : "1" + name;
  }

  static KeyMaterialException pkcs12() {
    return new KeyMaterialException(
        Reason.PKCS12_NOT_SUPPORTED,
        "This is a PKCS#12 (.p12/.pfx) file, which is not supported. Export the key and certificates"
            + " as PEM, e.g. `openssl pkcs12 -in file.p12 -nodes`.");
  }

  private static KeyMaterialException malformed(String message) {
    return new KeyMaterialException(Reason.MALFORMED, message);
  }

  static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
