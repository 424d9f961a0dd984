package dev.keyline.certificate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;

/** Certificates and request bodies for the API tests; every key and passphrase is registered with the leak guard. */
public final class CertificateFixtures {

    public static final Issued CLIENT_CA = TestPki.ca("Keyline Test Client CA");

    public static final String MANAGER = TestTokens.bearer("alice", Permissions.MANAGE);
    public static final String READER = TestTokens.bearer("bob", Permissions.READ);
    /** May present certificates (exchange) and nothing else. */
    public static final String USER = TestTokens.bearer("uma", Permissions.USE);
    public static final String OUTSIDER = TestTokens.bearer("eve", "connections:manage");

    private CertificateFixtures() {
    }

    public static Issued client(String cn) {
        return TestPki.client(CLIENT_CA, cn);
    }

    public static String passphrase() {
        return SecretLeakGuard.secret("pass-" + UUID.randomUUID());
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A valid JSON body with an encrypted PKCS#8 key. */
    public static Map<String, Object> body(String name, Issued client, List<String> domains) {
        String pass = passphrase();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "test certificate");
        body.put("authorizedDomains", domains);
        body.put("clientCertificate", client.certificatePem());
        SecretLeakGuard.secret(client.privateKeyPkcs8Pem());
        body.put("clientKey", SecretLeakGuard.secret(client.encryptedPkcs8Pem(pass.toCharArray())));
        body.put("passphrase", pass);
        return body;
    }

    public static Map<String, Object> body(String name) {
        return body(name, client(name), List.of("*.example.com", "api.partner.test:8443"));
    }

    public static Issued expiringIn(Duration d, String cn) {
        return TestPki.certificate(cn).issuedBy(CLIENT_CA).clientAuth()
                .validity(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(d)).issue();
    }
}
