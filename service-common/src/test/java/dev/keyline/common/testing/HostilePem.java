package dev.keyline.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import dev.keyline.keys.EncryptedPkcs8;
import dev.keyline.keys.RsaKeys;

/**
 * Private keys no parser should spend real work on: truncated and garbage DER, wrong algorithm
 * identifiers, integers far past any real key, key-derivation bombs (a genuine encrypted key whose
 * PBKDF2 iteration count is raised to 2,147,483,647, as the issue built it with openssl), and two
 * keys in one field. Every key and passphrase here is registered with {@link SecretLeakGuard}.
 */
public final class HostilePem {

    /** The passphrase of the encrypted cases; sent with them so parsing reaches key derivation. */
    public static final String PASSPHRASE = SecretLeakGuard.secret("hostile-pass-4Tz!x9");

    /** Just above the default ceiling of 1,000,000: a real key, refused on its parameters alone. */
    static final int ABOVE_CEILING = 1_100_000;

    private static Map<String, String> cached;

    private HostilePem() {
    }

    /** Name → PEM text; built once per JVM (the encrypted key costs one real 1.1M-iteration derivation). */
    public static synchronized Map<String, String> privateKeys() {
        if (cached == null) {
            cached = build();
        }
        return cached;
    }

    private static Map<String, String> build() {
        KeyPair pair = RsaKeys.generate(2048);
        PrivateKey key = pair.getPrivate();
        String pkcs8 = SecretLeakGuard.secret(pem("PRIVATE KEY", key.getEncoded()));
        String aboveCeiling = SecretLeakGuard.secret(EncryptedPkcs8.write(key, PASSPHRASE.toCharArray(), ABOVE_CEILING));
        Random random = new Random(9);
        byte[] garbage = new byte[1200];
        random.nextBytes(garbage);

        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("truncated PKCS#8", pkcs8.substring(0, pkcs8.length() / 2));
        cases.put("truncated body, END kept", pkcs8.substring(0, pkcs8.length() / 2) + "\n-----END PRIVATE KEY-----\n");
        cases.put("garbage DER", pem("PRIVATE KEY", garbage));
        cases.put("garbage DER as encrypted key", pem("ENCRYPTED PRIVATE KEY", garbage));
        cases.put("garbage DER as PKCS#1", pem("RSA PRIVATE KEY", garbage));
        cases.put("bare base64 of garbage", Base64.getEncoder().encodeToString(garbage));
        cases.put("wrong algorithm OID", pem("PRIVATE KEY", withAlgorithm(key, new ASN1ObjectIdentifier("1.2.840.113549.1.1.99"))));
        cases.put("EC OID over an RSA key", pem("PRIVATE KEY", withAlgorithm(key, new ASN1ObjectIdentifier("1.2.840.10045.2.1"))));
        cases.put("huge integer (320,000-bit modulus)", pem("RSA PRIVATE KEY", rsa(BigInteger.ONE.shiftLeft(320_000).subtract(BigInteger.ONE), 64)));
        cases.put("RSA modulus over 16384 bits", pem("RSA PRIVATE KEY", rsa(BigInteger.ONE.shiftLeft(20_000).add(BigInteger.ONE), 10_000)));
        cases.put("RSA modulus of 12,000 bits (above keyline.keys.max-rsa-bits)", rsaOfBits(12_000));
        cases.put("negative modulus", pem("RSA PRIVATE KEY", rsa(BigInteger.valueOf(-65537), 64)));
        cases.put("PBKDF2 at 2,147,483,647 iterations", SecretLeakGuard.secret(withIterations(aboveCeiling, Integer.MAX_VALUE)));
        cases.put("PBKDF2 at 1,100,000 iterations", aboveCeiling);
        cases.put("PBKDF2 iteration count past 2^31", SecretLeakGuard.secret(withIterations(aboveCeiling, 1L << 40)));
        cases.put("PBKDF2 iteration count zero", SecretLeakGuard.secret(withIterations(aboveCeiling, 0)));
        cases.put("scrypt at N=2^30", SecretLeakGuard.secret(scrypt(1 << 30, 8, 1)));
        cases.put("two keys in one field", pkcs8 + pkcs8);
        cases.put("key then a second block", pkcs8 + aboveCeiling);
        cases.put("BEGIN without END", pkcs8.substring(0, pkcs8.indexOf("-----END")));
        cases.put("mismatched END label", pkcs8.replace("-----END PRIVATE KEY-----", "-----END CERTIFICATE-----"));
        return cases;
    }

    /** A certificate text broken in the ways uploads break: truncated, garbage, a key where a certificate belongs. */
    public static Map<String, String> certificates(String certificatePem) {
        Random random = new Random(11);
        byte[] garbage = new byte[900];
        random.nextBytes(garbage);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("truncated certificate", certificatePem.substring(0, certificatePem.length() / 2));
        cases.put("garbage DER certificate", pem("CERTIFICATE", garbage));
        cases.put("private key instead of certificate", privateKeys().get("PBKDF2 at 1,100,000 iterations"));
        cases.put("certificate with a huge integer", pem("CERTIFICATE", rsa(BigInteger.ONE.shiftLeft(300_000), 8)));
        cases.put("certificate BEGIN without END", certificatePem.substring(0, certificatePem.indexOf("-----END")));
        return cases;
    }

    private static byte[] withAlgorithm(PrivateKey key, ASN1ObjectIdentifier oid) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            return new PrivateKeyInfo(new AlgorithmIdentifier(oid, DERNull.INSTANCE), info.parsePrivateKey()).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A PKCS#1 key whose modulus is exactly {@code bits} long and the product of its two "primes"
     * (2^(bits/2) + 1 and 2^(bits/2 - 1) + 1): it parses (key-material checks p·q = n, the JDK
     * accepts up to 16384 bits) but signs nothing correctly, which is all a size check needs;
     * generating a real key of 12,000 bits takes minutes.
     */
    public static String rsaOfBits(int bits) {
        BigInteger p = BigInteger.ONE.shiftLeft(bits / 2).add(BigInteger.ONE);
        BigInteger q = BigInteger.ONE.shiftLeft(bits / 2 - 1).add(BigInteger.ONE);
        BigInteger other = BigInteger.ONE.shiftLeft(bits / 2).add(BigInteger.valueOf(3));
        try {
            return pem("RSA PRIVATE KEY", new RSAPrivateKey(p.multiply(q), BigInteger.valueOf(65537), other, p, q,
                    other, other, other).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PKCS#1 with the given modulus and every other integer {@code otherBits} long. */
    private static byte[] rsa(BigInteger modulus, int otherBits) {
        BigInteger other = BigInteger.ONE.shiftLeft(otherBits).add(BigInteger.valueOf(3));
        try {
            return new RSAPrivateKey(modulus, BigInteger.valueOf(65537), other, other, other, other, other, other)
                    .getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same encrypted key with its PBKDF2 iteration count replaced: the KDF bomb. */
    private static String withIterations(String encryptedPem, long iterations) {
        try {
            EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(der(encryptedPem));
            PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
            PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
            ASN1EncodableVector params = new ASN1EncodableVector();
            params.add(new DEROctetString(kdf.getSalt()));
            params.add(new ASN1Integer(iterations));
            if (kdf.getKeyLength() != null) {
                params.add(new ASN1Integer(kdf.getKeyLength()));
            }
            params.add(kdf.getPrf());
            PBES2Parameters raised = new PBES2Parameters(
                    new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2, new DERSequence(params)),
                    pbes2.getEncryptionScheme());
            return pem("ENCRYPTED PRIVATE KEY", new EncryptedPrivateKeyInfo(
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, raised), info.getEncryptedData()).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PBES2 with scrypt (RFC 7914 OID) at the given cost, over random ciphertext. */
    private static String scrypt(int n, int r, int p) {
        ASN1EncodableVector params = new ASN1EncodableVector();
        params.add(new DEROctetString(new byte[16]));
        params.add(new ASN1Integer(n));
        params.add(new ASN1Integer(r));
        params.add(new ASN1Integer(p));
        params.add(new ASN1Integer(32));
        PBES2Parameters pbes2 = new PBES2Parameters(
                new KeyDerivationFunc(new ASN1ObjectIdentifier("1.3.6.1.4.1.11591.4.11"), new DERSequence(params)),
                new EncryptionScheme(new ASN1ObjectIdentifier("2.16.840.1.101.3.4.1.42"), new DEROctetString(new byte[16])));
        try {
            return pem("ENCRYPTED PRIVATE KEY", new EncryptedPrivateKeyInfo(
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, pbes2), new byte[1232]).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] der(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
