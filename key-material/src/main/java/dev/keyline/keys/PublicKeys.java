package dev.keyline.keys;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Public keys in the text forms Snowflake and openssl use (SPKI PEM, one-line base64 DER). */
public final class PublicKeys {

  /** JDK KeyFactory names by SPKI algorithm OID. */
  private static final Map<String, String> JDK_ALGORITHMS = Map.of(
      "1.2.840.113549.1.1.1", "RSA",
      "1.2.840.113549.1.1.10", "RSASSA-PSS",
      "1.2.840.10045.2.1", "EC",
      "1.2.840.10040.4.1", "DSA",
      "1.3.101.110", "X25519",
      "1.3.101.111", "X448",
      "1.3.101.112", "Ed25519",
      "1.3.101.113", "Ed448");

  /** What {@link #parse} accepts, for messages that refuse something else. */
  static final String ACCEPTED = "Give the output of `openssl rsa -in rsa_key.p8 -pubout` (-----BEGIN PUBLIC KEY-----"
      + " ... -----END PUBLIC KEY-----, or only the base64 lines between them) or a PKCS#1"
      + " -----BEGIN RSA PUBLIC KEY----- block.";

  private PublicKeys() {}

  /** "-----BEGIN PUBLIC KEY-----" PEM of the SubjectPublicKeyInfo, as {@code openssl pkey -pubout} writes it. */
  public static String toPem(PublicKey key) {
    return PemBlocks.write("PUBLIC KEY", key.getEncoded());
  }

  /**
   * The public key of an RSA private key that carries its CRT parameters (every key {@link
   * PrivateKeys#parse} returns and {@link RsaKeys#generate} makes).
   *
   * @throws KeyMaterialException MALFORMED for any other key
   */
  public static PublicKey ofRsa(java.security.PrivateKey key) {
    if (!(key instanceof java.security.interfaces.RSAPrivateCrtKey crt)) {
      throw new KeyMaterialException(Reason.MALFORMED, "Only an RSA private key with CRT parameters yields its public key.");
    }
    try {
      return KeyFactory.getInstance("RSA")
          .generatePublic(new java.security.spec.RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new KeyMaterialException(Reason.MALFORMED, "The RSA public key cannot be derived from the private key.");
    }
  }

  /** One-line base64 of the SPKI DER: what {@code ALTER USER ... SET RSA_PUBLIC_KEY='...'} wants. */
  public static String toBase64Der(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /**
   * Accepts PEM "PUBLIC KEY" (also PKCS#1 "RSA PUBLIC KEY") or bare base64 of the SPKI or PKCS#1
   * DER, with any whitespace, quotes or escapes as {@link PemText#normalize} tolerates (the same
   * reading {@link PrivateKeys#parse} uses). A PKCS#1 key comes back as the SPKI-encoded JDK key, so
   * its {@link Fingerprints#spkiSha256} is the one Snowflake shows. Any algorithm the JDK
   * knows is accepted (RSA, EC, Ed25519, ...).
   *
   * @throws KeyMaterialException MALFORMED for anything else (PKCS12_NOT_SUPPORTED for PKCS#12)
   */
  public static PublicKey parse(String pemOrBase64) {
    List<PemBlock> blocks;
    try {
      blocks = PemBlocks.read(pemOrBase64, "PUBLIC KEY");
    } catch (KeyMaterialException e) {
      if (e.reason() == Reason.PKCS12_NOT_SUPPORTED || e.reason() == Reason.MALFORMED) {
        throw e;
      }
      throw new KeyMaterialException(Reason.MALFORMED, e.getMessage());
    }
    List<PemBlock> publicKeys = blocks.stream()
        .filter(b -> b.label().equals("PUBLIC KEY") || b.label().equals("RSA PUBLIC KEY"))
        .toList();
    if (publicKeys.size() != 1) {
      throw new KeyMaterialException(
          Reason.MALFORMED,
          publicKeys.isEmpty()
              ? "Expected a PUBLIC KEY but found: " + String.join(", ", blocks.stream().map(PemBlock::label).distinct().toList())
                  + ". " + ACCEPTED
              : "Expected one public key but found " + publicKeys.size() + ".");
    }
    PemBlock block = publicKeys.get(0);
    try {
      // By shape, not label (as for private keys): some tools label SPKI "RSA PUBLIC KEY" and the reverse.
      byte[] der = block.der();
      SubjectPublicKeyInfo spki = switch (DerKind.of(der)) {
        case SUBJECT_PUBLIC_KEY_INFO -> SubjectPublicKeyInfo.getInstance(der);
        // PKCS#1 becomes the SPKI Snowflake fingerprints (and stores): rsaEncryption with NULL parameters.
        case PKCS1_RSA_PUBLIC_KEY -> new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
            RSAPublicKey.getInstance(der));
        default -> throw new KeyMaterialException(
            Reason.MALFORMED, "The " + block.label() + " block is not a public key (it may be truncated or damaged). " + ACCEPTED);
      };
      String oid = spki.getAlgorithm().getAlgorithm().getId();
      String algorithm = JDK_ALGORITHMS.get(oid);
      if (algorithm == null) {
        throw new KeyMaterialException(Reason.MALFORMED, "The public key's algorithm (OID " + oid + ") is not supported.");
      }
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    } catch (KeyMaterialException e) {
      throw e;
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      throw new KeyMaterialException(Reason.MALFORMED, "The public key cannot be decoded. " + ACCEPTED, ScrubbedCause.of(e));
    }
  }
}
