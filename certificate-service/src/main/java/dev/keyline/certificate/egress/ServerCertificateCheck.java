package dev.keyline.certificate.egress;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Wraps the real trust manager to tell "untrusted chain" from "trusted, but for another host".
 *
 * <p>The JDK reports both as a bare handshake failure; users fixing an integration need to know
 * which one it is. Instead of matching JDK message texts, a failed check is re-run without the
 * hostname part: if the chain alone passes, the hostname was the problem. The re-run only happens
 * on failure, so successful handshakes pay nothing.
 */
final class ServerCertificateCheck extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;

    ServerCertificateCheck(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw classify(chain, authType, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw classify(chain, authType, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    private Rejected classify(X509Certificate[] chain, String authType, CertificateException failure) {
        if (causedByPathValidation(failure)) {
            return new Rejected(ExchangeFailedException.Kind.CERTIFICATE_UNTRUSTED, failure);
        }
        try {
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException chainFailure) {
            return new Rejected(ExchangeFailedException.Kind.CERTIFICATE_UNTRUSTED, failure);
        }
        return new Rejected(ExchangeFailedException.Kind.HOSTNAME_MISMATCH, failure);
    }

    private static boolean causedByPathValidation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException || t instanceof CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

    /** Carries the classification through the JDK's SSLHandshakeException as its cause. */
    static final class Rejected extends CertificateException {

        private static final long serialVersionUID = 1L;

        private final ExchangeFailedException.Kind kind;

        Rejected(ExchangeFailedException.Kind kind, CertificateException cause) {
            super(cause.getMessage(), cause);
            this.kind = kind;
        }

        ExchangeFailedException.Kind kind() {
            return kind;
        }
    }
}
