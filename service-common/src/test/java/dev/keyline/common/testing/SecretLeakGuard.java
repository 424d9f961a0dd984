package dev.keyline.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Remembers every secret the suite uploads and checks every response body against all of them.
 * Secrets and bodies are also appended to {@code target/leak-guard/}, because {@code RedactionTest}
 * runs after all Quarkus tests, in another class loader, and checks them and the log file again. A key counts as leaked
 * when any 48-character run of its base64 body (whitespace removed) appears, so re-wrapped or
 * re-encoded echoes are caught too.
 *
 * <p>A test class installs it with {@code @ExtendWith(SecretLeakGuard.class)} (before its {@code @BeforeAll}
 * methods), or by calling {@link #install()}.
 */
public final class SecretLeakGuard implements Filter, BeforeAllCallback {

    static final Path DIR = Path.of("target", "leak-guard");
    static final Path SECRETS_FILE = DIR.resolve("secrets.txt");
    static final Path BODIES_FILE = DIR.resolve("responses.txt");

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;

    public static synchronized void install() {
        if (!installed) {
            RestAssured.filters(new SecretLeakGuard());
            installed = true;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    /** Registers a private key PEM (any form) or a passphrase that must never come back. */
    public static String secret(String value) {
        String compact = value.replaceAll("-----[A-Z ]+-----", "").replace("\\n", "").replaceAll("\\s", "");
        Set<String> fragments = new HashSet<>();
        if (compact.length() >= 96) {
            for (int i = 0; i + 48 <= compact.length(); i += 48) {
                fragments.add(compact.substring(i, i + 48));
            }
        } else {
            fragments.add(value);
        }
        SECRETS.addAll(fragments);
        for (String f : fragments) {
            append(SECRETS_FILE, f);
        }
        return value;
    }

    /** Every secret registered by any run of the suite in this module, read back from disk. */
    public static Set<String> recordedSecrets() throws IOException {
        return Files.exists(SECRETS_FILE) ? Set.copyOf(decodeLines(SECRETS_FILE)) : Set.of();
    }

    /** Every response body recorded by the suite, read back from disk. */
    public static List<String> recordedBodies() throws IOException {
        return Files.exists(BODIES_FILE) ? decodeLines(BODIES_FILE) : List.of();
    }

    /** The secret fragment found in {@code text}, or null. */
    public static String leakIn(String text) {
        return leakIn(text, SECRETS);
    }

    public static String leakIn(String text, Set<String> secrets) {
        String compact = text.replace("\\n", "").replace("\\/", "/").replaceAll("\\s", "");
        for (String s : secrets) {
            if (text.contains(s) || compact.contains(s)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public Response filter(FilterableRequestSpecification req, FilterableResponseSpecification res, FilterContext ctx) {
        Response response = ctx.next(req, res);
        String body = response.asString();
        append(BODIES_FILE, body);
        String leak = leakIn(body + response.getHeaders().toString());
        if (leak != null) {
            throw new AssertionError("A response to " + req.getMethod() + " " + req.getURI()
                    + " contains uploaded secret material (fragment of length " + leak.length() + ")");
        }
        return response;
    }

    /** One base64 line per entry, so bodies with newlines stay one record. */
    private static synchronized void append(Path file, String value) {
        try {
            Files.createDirectories(DIR);
            Files.writeString(file, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> decodeLines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                .map(l -> new String(Base64.getDecoder().decode(l), StandardCharsets.UTF_8)).toList();
    }
}
