package dev.keyline.connection;

import dev.keyline.common.testing.SecretLeakGuard;
import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.keyline.common.testing.TestTokens;
import dev.keyline.emulators.snowflake.SnowflakeAccount;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.keys.EncryptedPkcs8;
import dev.keyline.keys.PublicKeys;
import dev.keyline.keys.RsaKeys;
import io.restassured.http.ContentType;

/**
 * Tokens, keys, request bodies and the emulated Snowflake account for the API tests. Every private
 * key and passphrase a test sends is registered with the leak guard.
 */
public final class ConnectionFixtures {

    public static final String BASE = "/api/v1/connections";
    /**
     * An administrator: manages connections and uses them (test, browse, key slots); manage alone uses
     * nothing. Holds certificate-service's {@code certificates:use} too: saving an API connector binds its
     * certificate, registered at certificate-service with this token.
     */
    public static final String MANAGER = TestTokens.bearer("alice", Permissions.MANAGE, Permissions.USE,
            CertificateServiceStub.USE);
    public static final String READER = TestTokens.bearer("bob", Permissions.READ);
    /** Uses connections (test, browse, key slots, candidate keys) and changes nothing. */
    public static final String USER = TestTokens.bearer("uma", Permissions.USE);
    public static final String OUTSIDER = TestTokens.bearer("eve", "certificates:manage");

    /** The emulated account; connections name it in lower case, as users type it. */
    public static final String ACCOUNT = "ACME";
    public static final String KEY_ADMIN_ROLE = "KEY_ADMIN";
    public static final String SERVICE_ROLE = "LOADER";
    public static final String OPENSSL_PASSPHRASE = "fixture-pass-7Qw!";

    private static final KeyPair ADMIN_KEY = RsaKeys.generate(2048);
    /**
     * The users the shared key-admin connection may manage: the suite's service users, the missing
     * user of the object-not-found test, and the odd and hostile names of the quoting tests.
     */
    public static final List<String> ADMIN_MANAGES = List.of("SVC_*", "GHOST_*", "svc.loader-*", "X\"*");
    private static String adminConnectionId;

    private ConnectionFixtures() {
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An unquoted Snowflake user name, unique in the suite. */
    public static String uniqueUser(String prefix) {
        return prefix.toUpperCase() + "_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    public static String snowflakeUrl() {
        return ConfigProvider.getConfig().getValue("keyline.test.snowflake.url", String.class);
    }

    // ---- keys ---------------------------------------------------------------------------------

    public static KeyPair newKey() {
        return RsaKeys.generate(2048);
    }

    /** Unencrypted PKCS#8 PEM, registered with the leak guard. */
    public static String pkcs8Pem(PrivateKey key) {
        return SecretLeakGuard.secret("-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    /** Encrypted PKCS#8 (PBES2, AES-256), registered with the leak guard with its passphrase. */
    public static String encryptedPem(PrivateKey key, String passphrase) {
        pkcs8Pem(key);
        SecretLeakGuard.secret(passphrase);
        return SecretLeakGuard.secret(EncryptedPkcs8.write(key, passphrase.toCharArray(), 2048));
    }

    public static String publicPem(PublicKey key) {
        return PublicKeys.toPem(key);
    }

    /** A fixture made by the real openssl (key-material's test jar), registered with the leak guard. */
    public static String openssl(String file) {
        try (InputStream in = ConnectionFixtures.class.getClassLoader().getResourceAsStream("openssl/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture openssl/" + file);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return file.contains("public") ? text : SecretLeakGuard.secret(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The openssl fixtures' RSA-2048 key (all rsa2048-* files hold the same key). */
    public static PublicKey opensslPublicKey() {
        openssl("rsa2048-pkcs8.pem");
        SecretLeakGuard.secret(OPENSSL_PASSPHRASE);
        return PublicKeys.parse(openssl("rsa2048-public.pem"));
    }

    /** What openssl computed for that key, in Snowflake's form. */
    public static String opensslFingerprint() {
        Properties expected = new Properties();
        try (InputStream in = ConnectionFixtures.class.getClassLoader().getResourceAsStream("openssl/expected.properties")) {
            expected.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "SHA256:" + expected.getProperty("rsa2048.spki.sha256");
    }

    // ---- bodies -------------------------------------------------------------------------------

    public static Map<String, Object> snowflakeBody(String name, String user, String privateKeyPem, String passphrase,
            String keyAdminConnectionId) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "snowflake");
        details.put("account", ACCOUNT.toLowerCase());
        details.put("host", snowflakeUrl());
        details.put("user", user);
        details.put("role", SERVICE_ROLE);
        details.put("warehouse", "COMPUTE_WH");
        details.put("authType", "key-pair");
        details.put("privateKey", privateKeyPem);
        if (passphrase != null) {
            details.put("privateKeyPassphrase", SecretLeakGuard.secret(passphrase));
        }
        if (keyAdminConnectionId != null) {
            details.put("keyAdminConnectionId", keyAdminConnectionId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "test connection");
        body.put("timeoutSecs", 20);
        body.put("details", details);
        return body;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> details(Map<String, Object> body) {
        return (Map<String, Object>) body.get("details");
    }

    // ---- the emulated account -----------------------------------------------------------------

    public static SnowflakeAccount account(SnowflakeEmulator snowflake) {
        SnowflakeAccount acme = snowflake.account(ACCOUNT);
        acme.database("ANALYTICS", "RAW", "MART");
        acme.role(SERVICE_ROLE);
        acme.role(KEY_ADMIN_ROLE).modifyProgrammaticAuthenticationMethodsOnAccount();
        return acme;
    }

    /** A service user with role LOADER and this key in slot 1 (none when null). */
    public static String serviceUser(SnowflakeEmulator snowflake, String prefix, PublicKey slot1) {
        String user = uniqueUser(prefix);
        var u = account(snowflake).user(user).role(SERVICE_ROLE);
        if (slot1 != null) {
            u.rsaPublicKey(slot1);
        }
        return user;
    }

    /** A service user whose slot 1 holds a fresh key, and its key-pair connection (id, user, the key's PEM). */
    public record ServiceConnection(String id, String user, String pem) {
    }

    /** {@link #serviceConnection(SnowflakeEmulator, String, int)} with the default deadline of 20 s. */
    public static ServiceConnection serviceConnection(SnowflakeEmulator snowflake, String prefix) {
        return serviceConnection(snowflake, prefix, 20);
    }

    /**
     * A service user named after {@code prefix} with a fresh key in slot 1, and a connection of it created
     * through the API, named after {@code prefix} in lower case, waiting {@code timeoutSecs} for Snowflake.
     */
    public static ServiceConnection serviceConnection(SnowflakeEmulator snowflake, String prefix, int timeoutSecs) {
        KeyPair key = newKey();
        String user = serviceUser(snowflake, prefix, key.getPublic());
        String pem = pkcs8Pem(key.getPrivate());
        Map<String, Object> body = snowflakeBody(uniqueName(prefix.toLowerCase()), user, pem, null, null);
        body.put("timeoutSecs", timeoutSecs);
        return new ServiceConnection(create(body), user, pem);
    }

    /**
     * The key-admin connection (user ROTATOR, role KEY_ADMIN with MODIFY PROGRAMMATIC
     * AUTHENTICATION METHODS on the account, managing {@link #ADMIN_MANAGES}), created once per
     * test run through the API.
     */
    public static synchronized String adminConnection(SnowflakeEmulator snowflake) {
        account(snowflake).user("ROTATOR").role(KEY_ADMIN_ROLE).rsaPublicKey(ADMIN_KEY.getPublic());
        if (adminConnectionId == null) {
            Map<String, Object> body = snowflakeBody(uniqueName("sf-admin"), "rotator", pkcs8Pem(ADMIN_KEY.getPrivate()),
                    null, null);
            details(body).put("role", KEY_ADMIN_ROLE);
            details(body).put("managesUsers", ADMIN_MANAGES);
            adminConnectionId = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                    .when().post(BASE).then().statusCode(201).extract().path("id");
        }
        return adminConnectionId;
    }

    /** The connection's current ETag (its version), for If-Match. */
    public static String etag(String id) {
        return given().header("Authorization", MANAGER).when().get(BASE + "/" + id).then().statusCode(200).extract()
                .header("ETag");
    }

    public static String create(Map<String, Object> body) {
        return given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE).then().statusCode(201).extract().path("id");
    }
}
