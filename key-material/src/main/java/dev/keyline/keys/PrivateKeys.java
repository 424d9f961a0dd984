package dev.keyline.keys;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Parses the private keys users paste, in every PEM form openssl writes.
 *
 * <p>Why one entry point: each service must accept and reject exactly the same inputs, with the
 * same user-facing messages.
 */
public final class PrivateKeys {

  private PrivateKeys() {}

  /**
   * Parses exactly one private key: PKCS#8 ("PRIVATE KEY"), encrypted PKCS#8 ("ENCRYPTED PRIVATE
   * KEY", PBES2 as {@code openssl pkcs8 -topk8 -v2 des3} / {@code -v2 aes-256-cbc} write it, and
   * PBES1), PKCS#1 ("RSA PRIVATE KEY", also the legacy OpenSSL "Proc-Type: 4,ENCRYPTED" form), SEC1
   * ("EC PRIVATE KEY", possibly preceded by an "EC PARAMETERS" block). The input is normalised as
   * by {@link PemText#normalize(String, String)} with default label "PRIVATE KEY"; certificates
   * next to the key are ignored.
   *
   * <p>RSA keys come back as the JDK's {@link java.security.interfaces.RSAPrivateCrtKey}, EC keys as
   * the JDK's {@link java.security.interfaces.ECPrivateKey}; the public key is derived.
   *
   * <p>Encrypted keys are decrypted only when their key derivation stays within {@link
   * KdfLimits#DEFAULT}; see {@link #parse(String, char[], KdfLimits)}.
   *
   * <p>A passphrase given with a key that is not encrypted is refused (KEY_NOT_ENCRYPTED), as the
   * Python {@code cryptography} library behind Snowflake's Python connector refuses it ("Password
   * was given but private key is not encrypted"): accepting it would let a caller believe the key
   * they sent is protected, or that the passphrase was checked. An empty or blank passphrase counts
   * as none (a form's empty password field). Keys read back from storage use {@link
   * #parseStored}.
   *
   * @param passphrase null, empty or blank for unencrypted keys; not modified or retained
   * @throws KeyMaterialException NOT_PEM, MALFORMED, PASSPHRASE_REQUIRED, WRONG_PASSPHRASE,
   *     KEY_NOT_ENCRYPTED, UNSUPPORTED_ALGORITHM, KEY_TOO_SMALL (RSA below 2048 bits), KEY_TOO_LARGE
   *     (RSA above 16384 bits), KDF_TOO_COSTLY, MULTIPLE_KEYS, PKCS12_NOT_SUPPORTED, NO_KEY
   */
  public static ParsedPrivateKey parse(String pem, char[] passphrase) {
    return parse(pem, passphrase, KdfLimits.DEFAULT);
  }

  /**
   * As {@link #parse(String, char[])}, refusing (KDF_TOO_COSTLY, before any derivation) an
   * encrypted key whose iteration count or scrypt cost exceeds {@code limits}.
   */
  public static ParsedPrivateKey parse(String pem, char[] passphrase, KdfLimits limits) {
    ParsedPrivateKey parsed = parseStored(pem, passphrase, limits);
    if (!parsed.wasEncrypted() && !blank(passphrase)) {
      throw new KeyMaterialException(
          Reason.KEY_NOT_ENCRYPTED,
          "A passphrase was given but the private key is not encrypted; leave the passphrase out (or empty) "
              + "for an unencrypted key.");
    }
    return parsed;
  }

  /**
   * As {@link #parse(String, char[], KdfLimits)} for a key this system stored itself: a passphrase
   * kept next to a key that is not encrypted (records written before that was refused) is ignored,
   * so such a record stays readable.
   */
  public static ParsedPrivateKey parseStored(String pem, char[] passphrase, KdfLimits limits) {
    java.util.Objects.requireNonNull(limits, "limits");
    List<PemBlock> blocks = PemBlocks.read(pem, "PRIVATE KEY");
    List<PemBlock> keys = blocks.stream().filter(b -> b.label().endsWith("PRIVATE KEY")).toList();
    if (keys.size() > 1) {
      throw new KeyMaterialException(
          Reason.MULTIPLE_KEYS, "The text holds " + keys.size() + " private keys; give exactly one.");
    }
    if (keys.isEmpty()) {
      throw noKey(blocks);
    }
    PemBlock block = keys.get(0);
    if (block.label().equals("OPENSSH PRIVATE KEY")) {
      throw new KeyMaterialException(
          Reason.MALFORMED,
          "OpenSSH-format private keys are not supported; convert it with `ssh-keygen -p -m PKCS8 -f <file>`.");
    }
    if (block.isLegacyEncrypted()) {
      byte[] der = KeyDecryption.decryptLegacy(block, passphrase);
      return JdkPrivateKeys.toParsed(privateKeyInfo(der, block.label(), ecParameters(blocks), true), true);
    }
    byte[] der = block.der();
    if (DerKind.of(der) == DerKind.ENCRYPTED_PKCS8_PRIVATE_KEY) {
      return JdkPrivateKeys.toParsed(KeyDecryption.decryptPkcs8(der, passphrase, limits), true);
    }
    return JdkPrivateKeys.toParsed(privateKeyInfo(der, block.label(), ecParameters(blocks), false), false);
  }

  /** Null, empty or only whitespace: what an empty password field sends. */
  private static boolean blank(char[] passphrase) {
    if (passphrase == null) {
      return true;
    }
    for (char c : passphrase) {
      if (!Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  /** PKCS#8 for an unencrypted PKCS#8, PKCS#1 or SEC1 structure, recognised by shape not label. */
  private static PrivateKeyInfo privateKeyInfo(byte[] der, String label, ASN1Encodable ecParameters, boolean decrypted) {
    try {
      switch (DerKind.of(der)) {
        case PKCS8_PRIVATE_KEY:
          return PrivateKeyInfo.getInstance(der);
        case PKCS1_RSA_PRIVATE_KEY:
          return new PrivateKeyInfo(
              new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
              RSAPrivateKey.getInstance(der));
        case SEC1_EC_PRIVATE_KEY:
          ECPrivateKey ec = ECPrivateKey.getInstance(der);
          ASN1Encodable curve = ec.getParametersObject() != null ? ec.getParametersObject() : ecParameters;
          if (curve == null) {
            throw new KeyMaterialException(
                Reason.MALFORMED, "The EC private key does not name its curve (no EC PARAMETERS given).");
          }
          return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), ec);
        case TRADITIONAL_DSA_PRIVATE_KEY:
          throw new KeyMaterialException(
              Reason.UNSUPPORTED_ALGORITHM, "The private key is a DSA key; keyline takes RSA keys (and EC keys for client certificates).");
        default:
          break;
      }
    } catch (KeyMaterialException e) {
      throw e;
    } catch (java.io.IOException | RuntimeException e) {
      if (decrypted) {
        throw KeyDecryption.wrongPassphrase(e);
      }
      throw new KeyMaterialException(
          Reason.MALFORMED, "The " + label + " block is not a readable private key.", ScrubbedCause.of(e));
    }
    if (decrypted) {
      throw KeyDecryption.wrongPassphrase(null);
    }
    throw new KeyMaterialException(Reason.MALFORMED, "The " + label + " block is not a readable private key.");
  }

  /** The curve OID of an "EC PARAMETERS" block (openssl ecparam -genkey writes one before SEC1 keys). */
  private static ASN1Encodable ecParameters(List<PemBlock> blocks) {
    for (PemBlock block : blocks) {
      if (block.label().equals("EC PARAMETERS")) {
        try {
          return ASN1Primitive.fromByteArray(block.der());
        } catch (java.io.IOException | RuntimeException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static KeyMaterialException noKey(List<PemBlock> blocks) {
    List<String> labels = blocks.stream().map(PemBlock::label).distinct().toList();
    String message = labels.contains("CERTIFICATE")
        ? "The text holds a certificate but no private key."
        : "The text holds no private key (found: " + String.join(", ", labels) + ").";
    return new KeyMaterialException(Reason.NO_KEY, message);
  }
}
