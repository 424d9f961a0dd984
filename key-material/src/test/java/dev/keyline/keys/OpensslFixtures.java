package dev.keyline.keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Reads the openssl-made fixtures of src/test/resources/openssl (see make-fixtures.sh there). */
final class OpensslFixtures {

  private static final Properties EXPECTED = load();

  private OpensslFixtures() {}

  static String text(String name) {
    return new String(bytes(name), StandardCharsets.US_ASCII);
  }

  static byte[] bytes(String name) {
    try (InputStream in = OpensslFixtures.class.getResourceAsStream("/openssl/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A value openssl computed when the fixtures were made. */
  static String expected(String key) {
    String value = EXPECTED.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("no expected value " + key);
    }
    return value;
  }

  /** The passphrase of every encrypted fixture. */
  static char[] passphrase() {
    return expected("passphrase").toCharArray();
  }

  /** The base64 body of a PEM fixture, without whitespace (for "bare base64" inputs). */
  static String body(String name) {
    return body(name, 0);
  }

  /** The base64 body of the n-th block of a PEM fixture. */
  static String body(String name, int block) {
    String[] parts = text(name).split("-----BEGIN [A-Z ]+-----");
    String inner = parts[block + 1].split("-----END")[0];
    return inner.replaceAll("(?m)^[A-Za-z-]+:.*$", "").replaceAll("\\s+", "");
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = OpensslFixtures.class.getResourceAsStream("/openssl/expected.properties")) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}
