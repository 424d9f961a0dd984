package dev.keyline.certificate.egress;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS client side of one certificate version: its key and chain, and whom it trusts.
 *
 * <p>Build one per certificate version and reuse it for every call. Building a context costs
 * milliseconds, and the context also holds the TLS session cache: with it reused, later handshakes
 * to the same host resume instead of repeating certificate validation and signatures (loopback
 * benchmark, client and server in one 2-CPU JVM: ~1.9 ms per call reused against ~6.6 ms with a new
 * context per call). The key goes into an in-memory key manager, never through a PKCS#12 keystore,
 * whose key decryption alone costs 2-5 ms.
 *
 * <p>It also owns this version's {@link ConnectionPools}: a kept connection presents exactly this
 * key and chain, so the pools live and die with the context ({@link #close()}).
 *
 * <p>Thread-safe: SSLContext, its socket factory and the pools are.
 */
public final class ClientTlsContext {

    private final SSLContext sslContext;
    private final SSLSocketFactory socketFactory;
    private final X509Certificate certificate;
    private final ConnectionPools connections;

    /** Trusts the JVM's default CAs. */
    public ClientTlsContext(PrivateKey key, X509Certificate[] chain) {
        this(key, chain, null);
    }

    /** With the default connection pool settings. */
    public ClientTlsContext(PrivateKey key, X509Certificate[] chain, List<X509Certificate> trustedCas) {
        this(key, chain, trustedCas, PoolSettings.DEFAULT);
    }

    /**
     * @param key        the client private key
     * @param chain      the client certificate first, then intermediates
     * @param trustedCas when non-empty, the ONLY CAs trusted for server certificates (private PKI
     *                   targets); when null or empty, the JVM default trust store
     * @param pooling    how this version's connections are kept for reuse
     * @throws IllegalArgumentException when key or chain are missing or the JDK refuses them
     */
    public ClientTlsContext(PrivateKey key, X509Certificate[] chain, List<X509Certificate> trustedCas,
                            PoolSettings pooling) {
        if (key == null) {
            throw new IllegalArgumentException("private key is missing");
        }
        if (chain == null || chain.length == 0 || chain[0] == null) {
            throw new IllegalArgumentException("certificate chain is empty");
        }
        if (!keyFamily(chain[0].getPublicKey().getAlgorithm()).equals(keyFamily(key.getAlgorithm()))) {
            throw new IllegalArgumentException("private key algorithm does not match the certificate");
        }
        this.certificate = chain[0];
        this.connections = new ConnectionPools(pooling);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    new SingleKeyManager[] {new SingleKeyManager(key, chain)},
                    new TrustManager[] {new ServerCertificateCheck(trustManager(trustedCas))},
                    null);
            this.sslContext = context;
            this.socketFactory = context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("could not build the TLS client context: " + e.getMessage(), e);
        }
    }

    public SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    public SSLContext sslContext() {
        return sslContext;
    }

    /** This version's kept connections. */
    public ConnectionPools connections() {
        return connections;
    }

    /** Closes this version's kept connections; the context must not be used for new exchanges after. */
    public void close() {
        connections.close();
    }

    /** The client certificate presented (first of the chain). */
    public X509Certificate certificate() {
        return certificate;
    }

    private static X509ExtendedTrustManager trustManager(List<X509Certificate> trustedCas)
            throws GeneralSecurityException, IOException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (trustedCas == null || trustedCas.isEmpty()) {
            factory.init((KeyStore) null);
        } else {
            // In-memory store of trust anchors only; never written out, so no PKCS#12 encoding cost.
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            for (int i = 0; i < trustedCas.size(); i++) {
                anchors.setCertificateEntry("ca-" + i, trustedCas.get(i));
            }
            factory.init(anchors);
        }
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager available");
    }

    /** Providers name the same key kind differently (SunEC "EC" vs BouncyCastle "ECDSA"). */
    private static String keyFamily(String algorithm) {
        return switch (algorithm) {
            case "ECDSA" -> "EC";
            case "Ed25519", "Ed448" -> "EdDSA";
            default -> algorithm;
        };
    }
}
