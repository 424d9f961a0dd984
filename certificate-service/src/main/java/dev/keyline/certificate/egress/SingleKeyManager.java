package dev.keyline.certificate.egress;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Key manager holding exactly one client key and chain, built straight from the parsed objects.
 *
 * <p>Why not KeyManagerFactory: it wants a KeyStore, and going through PKCS#12 costs milliseconds
 * per certificate version for nothing. Why ignore the server's list of acceptable issuers: this
 * context exists to present this one certificate; if the server does not accept it, its rejection
 * alert is a clearer error than silently sending no certificate.
 *
 * <p>The certificate is presented at most once per connection. A TLS 1.2 server may renegotiate at
 * any time and ask for it again, and the JDK client complies: each time it signs with the key, so a
 * hostile server renegotiating in a loop made one exchange sign until its deadline (an 8192-bit key
 * 91 times in 15 s, 5.2 s of CPU, where a normal exchange signs once). Asked again, it sends no
 * certificate; a server that asks for it only in a renegotiation (per-location client
 * authentication) still gets it there, because it was not presented before.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "client";
    /**
     * Set when this thread's handshake sent the certificate. A socket handshake runs on the thread
     * that calls startHandshake, so this tells {@link MtlsExchange} whether a connection dropped
     * mid-handshake had already received our certificate (then a rejection is the likely cause).
     */
    private static final ThreadLocal<Boolean> SENT_ON_THIS_THREAD = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** Set when a server on this thread asked for the certificate a second time on one connection. */
    private static final ThreadLocal<Boolean> ASKED_AGAIN_ON_THIS_THREAD = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** Connections the certificate was presented on; weak, so a closed connection's entry goes with it. */
    private final Set<Socket> presentedOn = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final String keyType;

    SingleKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain.clone();
        this.keyType = jsseKeyType(key.getAlgorithm());
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return accepts(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        String alias = chooseAlias(keyTypes);
        if (alias == null) {
            return null;
        }
        if (socket != null && !presentedOn.add(socket)) {
            ASKED_AGAIN_ON_THIS_THREAD.set(Boolean.TRUE);
            return null;
        }
        SENT_ON_THIS_THREAD.set(Boolean.TRUE);
        return alias;
    }

    static void clearMarkers() {
        SENT_ON_THIS_THREAD.remove();
        ASKED_AGAIN_ON_THIS_THREAD.remove();
    }

    /** Whether a server on this thread asked for the certificate again on a connection it was presented on. */
    static boolean certificateAskedAgainOnThisThread() {
        return ASKED_AGAIN_ON_THIS_THREAD.get();
    }

    static boolean certificateSentOnThisThread() {
        return SENT_ON_THIS_THREAD.get();
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseAlias(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    private String chooseAlias(String[] keyTypes) {
        if (keyTypes != null) {
            for (String requested : keyTypes) {
                if (accepts(requested)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    /**
     * JSSE asks per signature scheme with the key algorithm it needs ("EC", "RSA", "RSASSA-PSS",
     * "EdDSA"; TLS 1.2 may append "_..."); answering for the wrong type would make it sign with a key
     * of another algorithm and fail the handshake.
     */
    private boolean accepts(String requested) {
        if (requested == null) {
            return false;
        }
        int underscore = requested.indexOf('_');
        String base = underscore > 0 ? requested.substring(0, underscore) : requested;
        return keyType.equalsIgnoreCase(jsseKeyType(base));
    }

    private static String jsseKeyType(String algorithm) {
        return switch (algorithm) {
            case "ECDSA" -> "EC";
            case "Ed25519", "Ed448" -> "EdDSA";
            default -> algorithm;
        };
    }
}
