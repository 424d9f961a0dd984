package dev.keyline.connection.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.keys.KeyLimitsConfig;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.problem.Violations;
import dev.keyline.connection.ConnectionType;
import dev.keyline.connection.snowflake.SnowflakeEndpoint;
import dev.keyline.connection.snowflake.SnowflakeHostPolicy;
import dev.keyline.keys.KeyMaterialException;
import dev.keyline.keys.ParsedPrivateKey;
import dev.keyline.keys.PemText;
import dev.keyline.keys.PrivateKeys;
import dev.keyline.keys.PublicKeys;

/**
 * Checks what bean validation cannot: which {@code details} fields belong to which type, account
 * and host syntax, the endpoint policy, and the key material. All field problems of a request are
 * reported together; none of them repeats a value.
 */
@ApplicationScoped
public class ConnectionValidator {

    public static final int DEFAULT_TIMEOUT_SECS = 30;
    /** Sigma's QuickStart creates connections with 600 s; a login or query never waits longer. */
    public static final int MAX_TIMEOUT_SECS = 600;
    static final String KEY_PAIR = "key-pair";
    static final int MIN_RSA_BITS = 2048;
    /** The sizes key-material's generator makes (RsaKeys). */
    static final List<Integer> GENERATED_KEY_BITS = List.of(2048, 3072, 4096);

    @Inject
    SnowflakeHostPolicy hostPolicy;

    @Inject
    KeyLimitsConfig keyLimits;

    /** For create: the key is required for Snowflake connections. */
    public ConnectionInput validateNew(ConnectionDraft d) {
        return validateNew(d, List.of());
    }

    /**
     * As {@link #validateNew(ConnectionDraft)}, answering {@code earlier} (the body's bean-validation
     * violations, the key-admin reference's problems) in the same 400 as this class's own findings.
     */
    public ConnectionInput validateNew(ConnectionDraft d, List<FieldError> earlier) {
        return validate(d, true, null, earlier);
    }

    /**
     * For replace: the type is fixed and keys change only through the credentials endpoint; a key
     * given anyway is the stored key presented again (moving the connection needs it).
     */
    public ConnectionInput validateReplacement(ConnectionDraft d, ConnectionType existing) {
        return validateReplacement(d, existing, List.of());
    }

    /** As {@link #validateNew(ConnectionDraft, List)} for replace; {@code existing} null when unknown (no type-change check). */
    public ConnectionInput validateReplacement(ConnectionDraft d, ConnectionType existing, List<FieldError> earlier) {
        return validate(d, false, existing, earlier);
    }

    /**
     * Every check, each finding collected rather than thrown, so one 400 names every bad field:
     * {@code earlier}'s, then this class's on fields {@code earlier} does not name already (a value
     * bean validation refused is not refused twice), the key's among them.
     */
    private ConnectionInput validate(ConnectionDraft d, boolean creating, ConnectionType existing, List<FieldError> earlier) {
        Findings errors = new Findings(earlier);
        ConnectionType type = ConnectionType.fromWire(d.type());
        if (type == null) {
            // Which fields apply depends on the type: nothing else can be checked.
            errors.add(new FieldError("details.type", "must be snowflake or api"));
            throw errors.problem();
        }
        if (existing != null && type != existing) {
            errors.add(new FieldError("details.type", "cannot change from " + existing.wire() + " to " + type.wire()
                    + "; create a new connection instead"));
        }
        int timeout = d.timeoutSecs() == null ? DEFAULT_TIMEOUT_SECS : d.timeoutSecs();
        if (type == ConnectionType.SNOWFLAKE) {
            return snowflake(d, creating, timeout, errors);
        }
        return api(d, timeout, errors);
    }

    private ConnectionInput snowflake(ConnectionDraft d, boolean creating, int timeout, Findings errors) {
        notAllowed(errors, "details.baseUrl", d.baseUrl(), "snowflake");
        notAllowed(errors, "details.certificateId", d.certificateId(), "snowflake");
        String account = trimToNull(d.account());
        String accountProblem = SnowflakeEndpoint.accountProblem(account);
        if (accountProblem != null) {
            errors.add(new FieldError("details.account", accountProblem));
        }
        String user = trimToNull(d.user());
        if (user == null) {
            errors.add(new FieldError("details.user", "is required"));
        } else {
            name(errors, "details.user", user);
        }
        String role = name(errors, "details.role", trimToNull(d.role()));
        String warehouse = name(errors, "details.warehouse", trimToNull(d.warehouse()));
        String database = name(errors, "details.database", trimToNull(d.database()));
        String schema = name(errors, "details.schema", trimToNull(d.schema()));
        String authType = d.authType() == null ? KEY_PAIR : d.authType();
        if (!KEY_PAIR.equals(authType)) {
            errors.add(new FieldError("details.authType", "only key-pair is supported"));
        }
        if (Boolean.TRUE.equals(d.useOauth())) {
            // Sigma's OAuth connections sign each person in through the IdP; this service holds key pairs only.
            errors.add(new FieldError("details.useOauth", "only key-pair authentication is supported; set it to false or leave it out"));
        }
        SnowflakeEndpoint endpoint = null;
        String host = trimToNull(d.host());
        if (accountProblem == null) {
            try {
                endpoint = hostPolicy.resolve(account, host);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("details.host", e.getMessage()));
            }
        }
        int generateBits = generation(d, creating, errors);
        if (creating && generateBits == 0 && (d.privateKey() == null || d.privateKey().isBlank())) {
            errors.add(new FieldError("details.privateKey", "is required for key-pair authentication"));
        }
        if (!creating && d.privateKey() != null && !d.privateKey().isEmpty() && d.privateKey().isBlank()) {
            // Whitespace is not "no key": say so instead of silently keeping the stored key.
            errors.add(new FieldError("details.privateKey", "is only whitespace; omit it to keep the stored key"));
        }
        List<FieldError> scopeErrors = new ArrayList<>();
        List<String> managesUsers = KeyAdminScope.validate(d.managesUsers(), scopeErrors);
        scopeErrors.forEach(errors::add);
        boolean keyGiven = d.privateKey() != null && !d.privateKey().isBlank();
        ValidatedKey key = null;
        // The key is parsed even when other fields are bad (its problems belong in the same answer),
        // but not when bean validation refused it or its passphrase already (too long to be either).
        if (generateBits == 0 && keyGiven && !errors.flagged("details.privateKey")
                && !errors.flagged("details.privateKeyPassphrase")) {
            try {
                key = key(d.privateKey(), d.privateKeyPassphrase(), "details.");
            } catch (ProblemException e) {
                errors.keyProblem(e);
            }
        }
        if (errors.any()) {
            throw errors.problem();
        }
        return new ConnectionInput(d.name(), d.description(), timeout, friendly(d), ConnectionType.SNOWFLAKE, account, endpoint,
                host == null ? null : endpoint.url(), user, role, warehouse, database, schema, authType, key,
                d.keyAdminConnectionId(), managesUsers, null, null, generateBits, 0);
    }

    /**
     * {@code details.generateKeyPair}: on create only, without a key or passphrase of the caller's,
     * and with a key-admin connection to register the public key through (a connection cannot
     * register a key of its own before it has one). Returns the key size to generate, 0 for none.
     */
    private static int generation(ConnectionDraft d, boolean creating, Findings errors) {
        boolean generate = Boolean.TRUE.equals(d.generateKeyPair());
        if (!generate) {
            if (d.keyBits() != null) {
                errors.add(new FieldError("details.keyBits", "applies only with details.generateKeyPair true"));
            }
            return 0;
        }
        if (!creating) {
            errors.add(new FieldError("details.generateKeyPair",
                    "applies only when a connection is created; replace keys with PUT .../credentials"));
            return 0;
        }
        if (d.privateKey() != null) {
            errors.add(new FieldError("details.privateKey", "must be left out when the service generates the key pair"));
        }
        if (d.privateKeyPassphrase() != null) {
            errors.add(new FieldError("details.privateKeyPassphrase",
                    "must be left out when the service generates the key pair"));
        }
        if (d.keyAdminConnectionId() == null) {
            errors.add(new FieldError("details.keyAdminConnectionId",
                    "is required to generate the key pair: the key-admin connection registers its public key"));
        }
        int bits = d.keyBits() == null ? MIN_RSA_BITS : d.keyBits();
        if (!GENERATED_KEY_BITS.contains(bits)) {
            errors.add(new FieldError("details.keyBits", "must be 2048, 3072 or 4096"));
        }
        return bits;
    }

    private ConnectionInput api(ConnectionDraft d, int timeout, Findings errors) {
        notAllowed(errors, "details.account", d.account(), "api");
        notAllowed(errors, "details.host", d.host(), "api");
        notAllowed(errors, "details.user", d.user(), "api");
        notAllowed(errors, "details.role", d.role(), "api");
        notAllowed(errors, "details.warehouse", d.warehouse(), "api");
        notAllowed(errors, "details.database", d.database(), "api");
        notAllowed(errors, "details.schema", d.schema(), "api");
        notAllowed(errors, "details.authType", d.authType(), "api");
        notAllowed(errors, "details.privateKey", d.privateKey(), "api");
        notAllowed(errors, "details.privateKeyPassphrase", d.privateKeyPassphrase(), "api");
        notAllowed(errors, "details.keyAdminConnectionId", d.keyAdminConnectionId(), "api");
        notAllowed(errors, "details.managesUsers", d.managesUsers(), "api");
        notAllowed(errors, "details.useOauth", d.useOauth(), "api");
        notAllowed(errors, "details.generateKeyPair", d.generateKeyPair(), "api");
        notAllowed(errors, "details.keyBits", d.keyBits(), "api");
        String baseUrl = null;
        try {
            baseUrl = baseUrl(d.baseUrl());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("details.baseUrl", e.getMessage()));
        }
        if (errors.any()) {
            throw errors.problem();
        }
        return new ConnectionInput(d.name(), d.description(), timeout, friendly(d), ConnectionType.API, null, null, null, null, null,
                null, null, null, null, null, null, List.of(), baseUrl, d.certificateId(), 0, 0);
    }

    /**
     * Parses and checks a private key for key-pair authentication.
     *
     * @param prefix {@code "details."} or {@code ""}: where the fields sit in the request
     */
    public ValidatedKey key(String pem, String passphrase, String prefix) {
        String keyField = prefix + "privateKey";
        String passField = prefix + "privateKeyPassphrase";
        if (pem == null || pem.isBlank()) {
            throw ProblemException.invalidField(keyField, "is required");
        }
        char[] pass = passphrase == null || passphrase.isEmpty() ? null : passphrase.toCharArray();
        ParsedPrivateKey parsed;
        String normalised;
        try {
            // The KDF ceiling is checked before any derivation work; KDF_TOO_COSTLY lands on the key field.
            parsed = PrivateKeys.parse(pem, pass, keyLimits.kdfLimits());
            normalised = PemText.normalize(pem, "PRIVATE KEY");
        } catch (KeyMaterialException e) {
            String field = switch (e.reason()) {
                case WRONG_PASSPHRASE, PASSPHRASE_REQUIRED, KEY_NOT_ENCRYPTED -> passField;
                default -> keyField;
            };
            throw invalidKey(field, e.getMessage());
        } finally {
            if (pass != null) {
                java.util.Arrays.fill(pass, '\0');
            }
        }
        if (!"RSA".equals(parsed.algorithm())) {
            throw invalidKey(keyField, "Snowflake key-pair authentication needs an RSA key; this is an "
                    + parsed.algorithm() + " key.");
        }
        keyLimits.sizeRefusal(parsed).ifPresent(reason -> {
            throw invalidKey(keyField, reason);
        });
        // A passphrase with an unencrypted key was refused above unless blank (none): it is not stored.
        return new ValidatedKey(normalised, parsed.wasEncrypted() ? passphrase : null, parsed);
    }

    /**
     * A public key for a key slot (PEM or base64 SPKI): RSA, at least {@value #MIN_RSA_BITS} bits, as
     * Snowflake requires; 400 {@code invalid-key-material} on field {@code publicKey} otherwise.
     */
    public static PublicKey publicKey(String text) {
        if (text == null || text.isBlank()) {
            throw ProblemException.invalidField("publicKey", "is required");
        }
        PublicKey key;
        try {
            key = PublicKeys.parse(text);
        } catch (KeyMaterialException e) {
            throw invalidKey("publicKey", e.getMessage());
        }
        if (!(key instanceof RSAPublicKey rsa)) {
            throw invalidKey("publicKey", "Snowflake accepts RSA public keys only; this is "
                    + key.getAlgorithm() + ".");
        }
        if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw invalidKey("publicKey", "The RSA key is " + rsa.getModulus().bitLength()
                    + " bits; the minimum is " + MIN_RSA_BITS + " bits.");
        }
        return key;
    }

    static ProblemException invalidKey(String field, String reason) {
        return new ProblemException(400, "invalid-key-material", "Invalid key material",
                field + " cannot be used: " + reason, List.of(new FieldError(field, reason)));
    }

    /** https only, absolute, with a host, without user info or fragment; normalised scheme and host case. */
    static String baseUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        URI uri;
        try {
            uri = new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("must be an https URL (the client certificate is presented over TLS)");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not contain user information");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must not contain a fragment");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return "https://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** Snowflake names are passed to the driver as values, but still: no control characters. */
    private static String name(Findings errors, String field, String value) {
        if (value != null && value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            errors.add(new FieldError(field, "must not contain control characters"));
        }
        return value;
    }

    private static void notAllowed(Findings errors, String field, Object value, String type) {
        if (value != null) {
            errors.add(new FieldError(field, "is not allowed for type " + type));
        }
    }

    private static boolean friendly(ConnectionDraft d) {
        return Boolean.TRUE.equals(d.useFriendlyNames());
    }

    private static String trimToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * The bad fields of one request: those found before this class ran ({@code earlier}), then this
     * class's on other fields. Its answer is the key's own {@code invalid-key-material} problem when the
     * key is all that is wrong (as before), else one {@code invalid-request} listing every field.
     */
    static final class Findings {

        private final List<FieldError> earlier;
        private final List<FieldError> own = new ArrayList<>();
        private ProblemException keyProblem;

        Findings(List<FieldError> earlier) {
            this.earlier = List.copyOf(earlier);
        }

        void add(FieldError error) {
            if (!Violations.covered(error.field(), earlier)) {
                own.add(error);
            }
        }

        /** Whether an earlier check refused this field (or one inside it). */
        boolean flagged(String field) {
            return Violations.covered(field, earlier);
        }

        void keyProblem(ProblemException e) {
            keyProblem = e;
            e.errors().forEach(this::add);
        }

        boolean any() {
            return !earlier.isEmpty() || !own.isEmpty();
        }

        ProblemException problem() {
            List<FieldError> all = new ArrayList<>(earlier);
            all.addAll(own);
            if (keyProblem != null && all.equals(keyProblem.errors())) {
                return keyProblem;
            }
            return ProblemException.invalidFields(all);
        }
    }
}
