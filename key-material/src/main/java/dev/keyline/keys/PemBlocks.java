package dev.keyline.keys;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads PEM blocks out of text as users paste it, and writes canonical PEM.
 *
 * <p>Why lenient: keys arrive through web forms, JSON (with {@code \n} escaped, sometimes twice),
 * environment variables (newlines flattened to spaces), Windows clipboards ({@code \r\n}) and as
 * bare base64. All of these are unambiguous, so rejecting them only frustrates users. Everything
 * that is not recognisably PEM or base64 DER is rejected with a message that never quotes the input.
 *
 * <p>Why no regular expressions: this runs over text any authenticated caller sends. Backtracking
 * patterns such as {@code \\+(?:r\\+n|n)} or {@code -{3,}\s?BEGIN} take quadratic time over a run
 * of backslashes or dashes (65,000 of them took 48 s). Every scan here visits each character a
 * bounded number of times, so the cost is linear in the input.
 */
final class PemBlocks {

  private static final String BEGIN = "BEGIN ";
  private static final String END = "END ";
  /** RFC 1421 headers: only legacy OpenSSL encryption uses them (Proc-Type, DEK-Info). */
  private static final int MAX_HEADERS = 8;
  private static final int MAX_HEADER_NAME = 41;
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
    List<PemBlock> blocks = new ArrayList<>();
    int from = 0;
    Marker begin;
    while ((begin = find(text, BEGIN, from)) != null) {
      String label = canonicalLabel(begin.label());
      Marker end = find(text, END, begin.end());
      if (end == null) {
        throw malformed("The BEGIN " + label + " line has no matching END " + label + " line.");
      }
      String endLabel = canonicalLabel(end.label());
      if (!endLabel.equals(label)) {
        throw malformed("The BEGIN " + label + " line is closed by an END " + endLabel + " line.");
      }
      blocks.add(block(label, text.substring(begin.end(), end.start())));
      from = end.end();
    }
    if (blocks.isEmpty()) {
      if (find(text, END, 0) != null) {
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
    String compact = withoutWhitespace(base64).replace('-', '+').replace('_', '/');
    if (!isBase64Body(compact)) {
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
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c != '\\') {
        out.append(c);
        i++;
        continue;
      }
      // One or more backslashes, as JSON escaping (once or twice) leaves them, then n, r, t or '/'.
      int run = backslashesAt(text, i);
      int next = i + run;
      char kind = next < n ? text.charAt(next) : 0;
      switch (kind) {
        case 'n' -> {
          out.append('\n');
          i = next + 1;
        }
        case 'r' -> {
          // "\r\n" is one line end; a lone "\r" is one too.
          int afterR = next + 1;
          int run2 = backslashesAt(text, afterR);
          boolean crlf = run2 > 0 && afterR + run2 < n && text.charAt(afterR + run2) == 'n';
          out.append('\n');
          i = crlf ? afterR + run2 + 1 : afterR;
        }
        case 't' -> {
          out.append(' ');
          i = next + 1;
        }
        case '/' -> {
          out.append('/');
          i = next + 1;
        }
        default -> {
          out.append(text, i, next);
          i = next;
        }
      }
    }
    return out.toString().replace("\r\n", "\n").replace('\r', '\n');
  }

  private static int backslashesAt(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) == '\\') {
      i++;
    }
    return i - from;
  }

  /** A BEGIN or END line: where its leading dashes start, where its trailing dashes end, its label as written. */
  private record Marker(int start, int end, String label) {}

  /**
   * The first {@code -----BEGIN label-----} (or END) line at or after {@code from}: at least three
   * dashes, optionally one whitespace character, the keyword, a label of 1 to 41 letters, digits and
   * spaces (any case), optionally one whitespace character, at least three dashes. Null when none.
   */
  private static Marker find(String text, String keyword, int from) {
    int n = text.length();
    int k = keyword.length();
    for (int i = from; i + k <= n; i++) {
      char c = text.charAt(i);
      if ((c | 0x20) != (keyword.charAt(0) | 0x20) || !text.regionMatches(true, i, keyword, 0, k)) {
        continue;
      }
      int dashesEnd = i > from && isSpace(text.charAt(i - 1)) ? i - 1 : i;
      int start = dashesEnd;
      while (start > from && text.charAt(start - 1) == '-') {
        start--;
      }
      if (dashesEnd - start < 3) {
        continue;
      }
      int labelStart = i + k;
      int labelEnd = labelStart;
      while (labelEnd < n && labelEnd - labelStart <= 42 && isLabelChar(text.charAt(labelEnd))) {
        labelEnd++;
      }
      int length = labelEnd - labelStart;
      if (length == 0 || text.charAt(labelStart) == ' ' || length > 42
          || (length == 42 && text.charAt(labelEnd - 1) != ' ')) {
        continue;
      }
      int trailing = labelEnd < n && isSpace(text.charAt(labelEnd)) ? labelEnd + 1 : labelEnd;
      int end = trailing;
      while (end < n && text.charAt(end) == '-') {
        end++;
      }
      if (end - trailing < 3) {
        continue;
      }
      return new Marker(start, end, text.substring(labelStart, labelEnd));
    }
    return null;
  }

  private static boolean isLabelChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ';
  }

  /** The characters of {@code \s} in java.util.regex: space, tab, line feed, vertical tab, form feed, carriage return. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  static String withoutWhitespace(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isSpace(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** One or more base64 characters, then at most two '=' and nothing else. */
  private static boolean isBase64Body(String body) {
    int n = body.length();
    int i = 0;
    while (i < n && isBase64Char(body.charAt(i))) {
      i++;
    }
    if (i == 0) {
      return false;
    }
    int padding = 0;
    while (i < n && body.charAt(i) == '=' && padding < 2) {
      i++;
      padding++;
    }
    return i == n;
  }

  private static boolean isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
  }

  private static PemBlock block(String label, String inner) {
    String rest = inner.strip();
    Map<String, String> headers = new LinkedHashMap<>();
    int at = 0;
    int next;
    int lines = 0;
    while ((next = header(rest, at, headers)) > at) {
      if (++lines > MAX_HEADERS) {
        throw malformed("The " + label + " block has more header lines than any key format uses.");
      }
      at = next;
    }
    String body = withoutWhitespace(rest.substring(at));
    if (body.isEmpty()) {
      throw malformed("The " + label + " block is empty.");
    }
    if (!isBase64Body(body)) {
      throw malformed("The " + label + " block contains characters that are not base64.");
    }
    return new PemBlock(label, headers, body);
  }

  /**
   * Reads one RFC 1421 header line ({@code Name: value}) at {@code at} into {@code headers}; the
   * index after it and the whitespace that follows, or {@code at} when there is no header there.
   */
  private static int header(String text, int at, Map<String, String> headers) {
    int n = text.length();
    int i = at;
    if (i >= n || !isAsciiLetter(text.charAt(i))) {
      return at;
    }
    i++;
    while (i < n && i - at <= MAX_HEADER_NAME && isHeaderNameChar(text.charAt(i))) {
      i++;
    }
    if (i >= n || text.charAt(i) != ':' || i - at > MAX_HEADER_NAME) {
      return at;
    }
    String name = text.substring(at, i);
    i++;
    while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    int valueStart = i;
    while (i < n && !isSpace(text.charAt(i))) {
      i++;
    }
    if (i == valueStart) {
      return at;
    }
    headers.put(name, text.substring(valueStart, i));
    while (i < n && isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static boolean isHeaderNameChar(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-';
  }

  private static PemBlock bareBody(String text, String defaultLabel) {
    byte[] der = decodeQuietly(text);
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
    StringBuilder out = new StringBuilder(label.length());
    for (String word : label.strip().split(" ")) {
      if (!word.isEmpty()) {
        out.append(out.isEmpty() ? "" : " ").append(word);
      }
    }
    return out.toString().toUpperCase(Locale.ROOT);
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
