package dev.keyline.console.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyline.emulators.snowflake.SnowflakeAccount;
import dev.keyline.keys.Pkcs8;
import dev.keyline.keys.RsaKeys;
import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;

/**
 * The console's main flows in headless Chromium against the real services (one {@link ConsoleStack}
 * for all): upload a certificate (the wrong passphrase first, shown on its field), create and test a
 * Snowflake connection, rotate its key and watch the run reach DONE without reloading, and see a
 * stopped service marked down on the overview while the other panels stay useful. Each test
 * saves its final page under target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    static final String ACCOUNT = "ACME";
    static final String PASSPHRASE = "right-horse-battery";
    static final String WRONG_PASSPHRASE = "wrong-staple-42";

    static ConsoleStack stack;
    static WebDriver browser;
    static String adminToken;
    static String keyAdminConnectionId;
    static Path files;
    static Issued client;
    static KeyPair serviceKey;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        stack = new ConsoleStack();
        adminToken = ConsoleStack.personToken("alice", ConsoleStack.ALL_PERMISSIONS);
        files = Path.of("target", "browser-files").toAbsolutePath();
        Files.createDirectories(files);

        SnowflakeAccount acme = stack.snowflake.account(ACCOUNT);
        acme.warehouse("COMPUTE_WH");
        acme.database("ANALYTICS", "RAW", "MART");
        acme.role("LOADER");
        acme.role("KEY_ADMIN").modifyProgrammaticAuthenticationMethodsOnAccount();
        KeyPair adminKey = RsaKeys.generate(2048);
        acme.user("CONSOLE_ROTATOR").role("KEY_ADMIN").rsaPublicKey(adminKey.getPublic());
        keyAdminConnectionId = createKeyAdminConnection(adminKey);

        browser = Browser.start(stack.target.resolve("browser-profiles"));
        browser.get(stack.console.url() + "/");
        assertThat(browser.getCurrentUrl()).endsWith("/sign-in");
        browser.findElement(By.id("token")).sendKeys(adminToken);
        browser.findElement(By.id("sign-in")).click();
        await(d -> d.findElement(By.tagName("h1")).getText().equals("Overview"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(10)
    void pagesCarryStrictSecurityHeadersAndTheSessionCookieIsHttpOnly() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(stack.console.url() + "/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'none'").contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(page.body()).doesNotContain("<script>").doesNotContain("style=");
        assertThat(page.headers().allValues("Set-Cookie")).allSatisfy(
                c -> assertThat(c).contains("HttpOnly").containsIgnoringCase("SameSite=Strict"));

        // A form post without the session's CSRF token changes nothing.
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(stack.console.url() + "/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + adminToken)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.headers().allValues("Set-Cookie")).isEmpty();

        // A JWT-shaped text no service accepts (unsigned, future expiry) opens no session.
        String csrf = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("keyline-console-sign-in="))
                .map(c -> c.substring("keyline-console-sign-in=".length(), c.indexOf(';'))).findFirst().orElseThrow();
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String unsigned = b64.encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + b64.encodeToString(
                ("{\"sub\":\"mallory\",\"exp\":" + (System.currentTimeMillis() / 1000 + 3600) + "}").getBytes()) + ".";
        HttpResponse<String> unsignedSignIn = http.send(HttpRequest.newBuilder(URI.create(stack.console.url() + "/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "keyline-console-sign-in=" + csrf)
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&token=" + unsigned)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsignedSignIn.statusCode()).isEqualTo(400);
        assertThat(unsignedSignIn.body()).contains("no keyline service accepts this token");
        assertThat(unsignedSignIn.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("keyline-console-session="));

        // The management port serves health only (console/README.md): no metrics.
        assertThat(http.send(HttpRequest.newBuilder(URI.create(stack.console.managementUrl() + "/q/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(stack.console.managementUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

        // The token never reaches a page: the browser only holds an opaque session id.
        browser.get(stack.console.url() + "/");
        assertThat(browser.getPageSource()).doesNotContain(adminToken);
        Browser.screenshot(browser, "overview");
    }

    @Test
    @Order(20)
    void aWrongPassphraseIsShownOnItsFieldAndNothingSecretIsShownAgain() throws Exception {
        Issued ca = TestPki.ca("Console Test CA");
        client = TestPki.client(ca, "console-client");
        Path certificate = Files.writeString(files.resolve("client.crt"), client.certificatePem());
        Path key = Files.writeString(files.resolve("client-des3.key"), client.encryptedPkcs8Pem(PASSPHRASE.toCharArray()));

        browser.get(stack.console.url() + "/certificates");
        browser.findElement(By.id("create-certificate")).click();
        fillCertificateForm("orders-api", certificate, key, WRONG_PASSPHRASE);
        browser.findElement(By.id("save")).click();

        WebElement error = await(d -> d.findElement(By.id("passphrase-error")));
        assertThat(error.getText()).isNotBlank();
        assertThat(browser.findElement(By.id("passphrase")).getAttribute("value")).isEmpty();
        assertThat(browser.findElement(By.id("name")).getAttribute("value")).isEqualTo("orders-api");
        String page = browser.getPageSource();
        assertThat(page).doesNotContain(WRONG_PASSPHRASE).doesNotContain("PRIVATE KEY")
                .doesNotContain(client.encryptedPkcs8Pem(PASSPHRASE.toCharArray()).lines().skip(2).findFirst().orElseThrow());
        Browser.scrollTo(browser, error);
        Browser.screenshot(browser, "certificate-wrong-passphrase");
    }

    @Test
    @Order(30)
    void createACertificateByUploadingFilesAndAskWhereItMayBePresented() {
        browser.get(stack.console.url() + "/certificates/new");
        fillCertificateForm("orders-api", files.resolve("client.crt"), files.resolve("client-des3.key"), PASSPHRASE);
        browser.findElement(By.id("save")).click();

        await(d -> d.findElement(By.id("saved")));
        assertThat(browser.findElement(By.id("certificate-facts")).getText()).contains("CN=console-client")
                .contains("api.example.com")
                // Not "encrypted": the passphrase decrypted it once, at upload.
                .contains("uploaded encrypted; stored in Vault as plain PKCS#8");
        browser.findElement(By.id("host")).sendKeys("api.example.com");
        browser.findElement(By.id("check-authorization")).click();
        assertThat(await(d -> d.findElement(By.id("authorization-result"))).getText()).startsWith("Allowed");

        browser.get(stack.console.url() + "/certificates");
        assertThat(browser.findElement(By.id("certificates")).getText()).contains("orders-api").contains("CN=console-client");
        Browser.screenshot(browser, "certificates");
    }

    @Test
    @Order(35)
    void createAnApiConnectorPickingACertificateAndSeeAHostOutsideItsDomainsRefusedOnTheField() {
        browser.get(stack.console.url() + "/connections");
        browser.findElement(By.id("create-api-connector")).click();
        // The choice is informed: each certificate is listed with its authorized domains.
        assertThat(await(d -> d.findElement(By.id("certificate-options"))).getText()).contains("orders-api")
                .contains("api.example.com").contains("*.partner.example.org:8443");
        browser.findElement(By.id("name")).sendKeys("orders-api-connector");
        WebElement baseUrl = browser.findElement(By.id("baseUrl"));
        baseUrl.clear();
        baseUrl.sendKeys("https://evil.example.net/v1");
        pickCertificate("orders-api");
        browser.findElement(By.id("save")).click();

        assertThat(await(d -> d.findElement(By.id("baseUrl-error"))).getText()).isNotBlank();
        assertThat(browser.findElement(By.id("form-problem")).getText()).contains("api-host-not-authorized");
        assertThat(browser.findElement(By.id("name")).getAttribute("value")).isEqualTo("orders-api-connector");
        Browser.screenshot(browser, "api-connector-host-refused");

        baseUrl = browser.findElement(By.id("baseUrl"));
        baseUrl.clear();
        baseUrl.sendKeys("https://api.example.com/v1");
        pickCertificate("orders-api");
        browser.findElement(By.id("save")).click();
        await(d -> d.findElement(By.id("created")));
        assertThat(browser.findElement(By.id("connection-facts")).getText()).contains("https://api.example.com/v1");
        assertThat(browser.findElement(By.id("connector-certificate")).getText()).isEqualTo("orders-api");

        browser.get(stack.console.url() + "/connections");
        WebElement row = browser.findElement(By.xpath("//table[@id='connections']//tr[td/a[text()='orders-api-connector']]"));
        assertThat(row.getText()).contains("https://api.example.com/v1").contains("orders-api");
        String connectorHref = row.findElement(By.linkText("orders-api-connector")).getAttribute("href");
        Browser.screenshot(browser, "api-connector-listed");

        // The certificate list says who presents each certificate (certificate-service's consumers), linked.
        browser.get(stack.console.url() + "/certificates");
        WebElement usedBy = browser.findElement(
                By.xpath("//table[@id='certificates']//tr[td/a[text()='orders-api']]/td[@class='used-by']"));
        assertThat(usedBy.getText()).isEqualTo("orders-api-connector");
        assertThat(usedBy.findElement(By.tagName("a")).getAttribute("href")).isEqualTo(connectorHref);
        Browser.scrollTo(browser, usedBy);
        Browser.screenshot(browser, "certificate-used-by");
    }

    @Test
    @Order(40)
    void createAndTestASnowflakeConnection() {
        serviceKey = RsaKeys.generate(2048);
        stack.snowflake.account(ACCOUNT).user("SVC_ORDERS").role("LOADER").rsaPublicKey(serviceKey.getPublic());
        String pem = Pkcs8.toPem(serviceKey.getPrivate());

        browser.get(stack.console.url() + "/connections");
        browser.findElement(By.id("create-connection")).click();
        browser.findElement(By.id("name")).sendKeys("orders-loader");
        browser.findElement(By.id("account")).sendKeys(ACCOUNT.toLowerCase());
        browser.findElement(By.id("host")).sendKeys(stack.snowflake.url());
        browser.findElement(By.id("user")).sendKeys("svc_orders");
        browser.findElement(By.id("role")).sendKeys("LOADER");
        browser.findElement(By.id("warehouse")).sendKeys("COMPUTE_WH");
        browser.findElement(By.id("privateKey")).sendKeys(pem);
        new Select(browser.findElement(By.id("keyAdminConnectionId"))).selectByValue(keyAdminConnectionId);
        browser.findElement(By.id("save")).click();

        assertThat(await(d -> d.findElement(By.id("created"))).getText()).contains("first login worked");
        assertThat(browser.getPageSource()).doesNotContain(pem.lines().skip(1).findFirst().orElseThrow());
        assertThat(browser.findElement(By.id("key-slots")).getText()).contains("stored key");
        assertThat(browser.findElement(By.id("key-admin")).getText()).isEqualTo("acme-key-admin");

        browser.findElement(By.id("test")).click();
        WebElement result = await(d -> d.findElement(By.id("test-result")));
        assertThat(result.getText()).startsWith("OK").contains("SVC_ORDERS").contains("LOADER")
                .contains("warehouse COMPUTE_WH");
        Browser.screenshot(browser, "connection-tested");

        browser.findElement(By.id("browse")).click();
        assertThat(await(d -> d.findElement(By.id("catalog"))).getText()).contains("ANALYTICS").contains("RAW");
    }

    @Test
    @Order(45)
    void editSnowflakeMetadataAndSeeTheKeyAskedForWhenTheUserChanges() {
        browser.get(stack.console.url() + "/connections");
        browser.findElement(By.linkText("orders-loader")).click();
        browser.findElement(By.id("edit-connection")).click();
        WebElement description = await(d -> d.findElement(By.id("description")));
        description.clear();
        description.sendKeys("nightly order loads");
        browser.findElement(By.id("save")).click();
        await(d -> d.findElement(By.id("saved")));
        assertThat(browser.findElement(By.id("connection-description")).getText()).isEqualTo("nightly order loads");

        // A warehouse that does not exist: saved, and the login connection-service made after the change says so.
        assertThat(saveWithWarehouse("NO_SUCH_WH")).contains("did not work");
        assertThat(saveWithWarehouse("COMPUTE_WH")).isEqualTo("Saved.");

        // Another user without the stored key: connection-service refuses, the console says so on the key field.
        browser.findElement(By.id("edit-connection")).click();
        WebElement userField = await(d -> d.findElement(By.id("user")));
        userField.clear();
        userField.sendKeys("SVC_OTHER");
        browser.findElement(By.id("save")).click();
        assertThat(await(d -> d.findElement(By.id("privateKey-error"))).getText()).contains("required");
        assertThat(browser.findElement(By.id("user")).getAttribute("value")).isEqualTo("SVC_OTHER");
        Browser.scrollTo(browser, browser.findElement(By.id("privateKey-error")));
        Browser.screenshot(browser, "connection-edit-key-required");

        browser.get(stack.console.url() + "/connections");
        assertThat(browser.findElement(By.id("connections")).getText()).containsIgnoringCase("svc_orders").doesNotContain("SVC_OTHER");
    }

    /** Edits the open connection's warehouse and answers the notice the detail page shows after saving. */
    private String saveWithWarehouse(String name) {
        browser.findElement(By.id("edit-connection")).click();
        WebElement warehouse = await(d -> d.findElement(By.id("warehouse")));
        warehouse.clear();
        warehouse.sendKeys(name);
        browser.findElement(By.id("save")).click();
        return await(d -> d.findElement(By.id("saved"))).getText();
    }

    @Test
    @Order(47)
    void letTheServiceGenerateTheKeyPairAndSeeTheSetupSql() {
        stack.snowflake.account(ACCOUNT).user("SVC_GENERATED").role("LOADER");
        browser.get(stack.console.url() + "/connections");
        browser.findElement(By.id("create-connection")).click();
        await(d -> d.findElement(By.id("name"))).sendKeys("generated-loader");
        browser.findElement(By.id("account")).sendKeys(ACCOUNT.toLowerCase());
        browser.findElement(By.id("host")).sendKeys(stack.snowflake.url());
        browser.findElement(By.id("user")).sendKeys("svc_generated");
        browser.findElement(By.id("role")).sendKeys("LOADER");
        browser.findElement(By.id("warehouse")).sendKeys("COMPUTE_WH");
        browser.findElement(By.id("generateKeyPair")).click();
        // Only connections that manage users are offered as key admins, not orders-loader (created above).
        assertThat(new Select(browser.findElement(By.id("keyAdminConnectionId"))).getOptions())
                .extracting(WebElement::getText).anyMatch(t -> t.startsWith("acme-key-admin"))
                .noneMatch(t -> t.startsWith("orders-loader"));
        new Select(browser.findElement(By.id("keyAdminConnectionId"))).selectByValue(keyAdminConnectionId);
        browser.findElement(By.id("save")).click();

        // connection-service registered the key through the key-admin and logged in before storing it.
        assertThat(await(d -> d.findElement(By.id("created"))).getText()).contains("generated");
        String sql = browser.findElement(By.id("setup-sql")).getAttribute("value");
        assertThat(sql).contains("CREATE USER IF NOT EXISTS \"SVC_GENERATED\" TYPE = SERVICE DEFAULT_ROLE = \"LOADER\"")
                .contains("GRANT MODIFY PROGRAMMATIC AUTHENTICATION METHODS ON USER \"SVC_GENERATED\" TO ROLE \"KEY_ADMIN\"")
                .contains("ALTER USER \"SVC_GENERATED\" SET RSA_PUBLIC_KEY='")
                .doesNotContain("PRIVATE");
        assertThat(stack.snowflake.keySlots(ACCOUNT, "SVC_GENERATED").rsaPublicKeyFp()).startsWith("SHA256:");
        Browser.screenshot(browser, "generated-key-setup-sql");
    }

    @Test
    @Order(50)
    void rotateTheKeyAndWatchTheRunReachDone() {
        browser.get(stack.console.url() + "/connections");
        browser.findElement(By.linkText("orders-loader")).click();
        String before = browser.findElement(By.id("stored-fingerprint")).getText();
        browser.findElement(By.id("rotate-now")).click();

        // The run page refreshes its steps itself (static/console.js); no reload here.
        await(d -> d.findElement(By.id("run-state")));
        String runUrl = browser.getCurrentUrl();
        // The live fragment replaces the element under the wait: a stale one is looked up again.
        new WebDriverWait(browser, Duration.ofSeconds(120), Duration.ofMillis(250))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("run-state")).getText().equals("DONE"));
        assertThat(browser.getCurrentUrl()).isEqualTo(runUrl);
        assertThat(browser.findElement(By.id("steps")).getText()).contains("REGISTER").contains("VERIFY")
                .contains("SWAP").contains("RETIRE");
        Browser.screenshot(browser, "rotation-done");

        browser.get(stack.console.url() + "/connections");
        browser.findElement(By.linkText("orders-loader")).click();
        assertThat(browser.findElement(By.id("stored-fingerprint")).getText()).isNotEqualTo(before);
    }

    @Test
    @Order(55)
    void aRunThatNeedsAttentionIsClosedWithAReasonAndFoundByItsState() {
        // Fault: slot 1 holds a key this system never registered, so PLAN stops and asks a person.
        stack.snowflake.setKeySlot(ACCOUNT, "SVC_ORDERS", 1, RsaKeys.generate(2048).getPublic());
        try {
            browser.get(stack.console.url() + "/connections");
            browser.findElement(By.linkText("orders-loader")).click();
            browser.findElement(By.id("rotate-now")).click();
            new WebDriverWait(browser, Duration.ofSeconds(120), Duration.ofMillis(250))
                    .ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> d.findElement(By.id("run-state")).getText().equals("NEEDS_ATTENTION"));
            String runUrl = browser.getCurrentUrl();
            String runId = runUrl.substring(runUrl.lastIndexOf('/') + 1);
            // The forms arrive with the live fragment: no reload needed.
            assertThat(await(d -> d.findElement(By.id("stopped-in"))).getText()).isEqualTo("PLAN");

            // A reason of blanks passes the browser's "required" but not rotation-service: shown on the field.
            await(d -> d.findElement(By.id("closeReason"))).sendKeys("   ");
            browser.findElement(By.id("close")).click();
            assertThat(await(d -> d.findElement(By.id("closeReason-error"))).getText()).isNotBlank();
            assertThat(browser.findElement(By.id("run-state")).getText()).isEqualTo("NEEDS_ATTENTION");

            String reason = "slot 1 holds the BI tool's key; rotated by hand";
            browser.findElement(By.id("closeReason")).sendKeys(reason);
            browser.findElement(By.id("close")).click();
            assertThat(await(d -> d.findElement(By.id("decided"))).getText()).contains("Closed");
            assertThat(browser.findElement(By.id("run-state")).getText()).isEqualTo("CLOSED");
            assertThat(browser.findElement(By.id("closed-reason")).getText()).isEqualTo(reason);
            assertThat(browser.findElements(By.id("close-form"))).isEmpty();
            Browser.screenshot(browser, "run-closed");

            // The runs list, filtered by connection and state, finds it.
            browser.get(stack.console.url() + "/rotations");
            new Select(browser.findElement(By.id("filter-connection"))).selectByVisibleText(
                    browser.findElements(By.cssSelector("#filter-connection option")).stream().map(WebElement::getText)
                            .filter(t -> t.startsWith("orders-loader")).findFirst().orElseThrow());
            new Select(browser.findElement(By.id("filter-state"))).selectByValue("CLOSED");
            browser.findElement(By.id("apply-filter")).click();
            // The unfiltered list has a #runs too: read it only once the filtered page (a GET form) is there.
            new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100))
                    .until(d -> d.getCurrentUrl().contains("state=CLOSED"));
            String runs = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100))
                    .ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> d.findElement(By.id("runs")).getText());
            assertThat(runs).contains(runId).contains("CLOSED").doesNotContain("DONE");
            assertThat(browser.findElement(By.id("runs-range")).getText()).contains("of 1");
            Browser.screenshot(browser, "runs-filtered");

            // A hand-edited filter is judged by rotation-service and shown, not dropped for a list of every run.
            browser.get(stack.console.url() + "/rotations?state=BOGUS");
            assertThat(await(d -> d.findElement(By.id("runs-problem"))).getText()).contains("state");
            assertThat(browser.findElements(By.cssSelector("#runs tbody tr"))).isEmpty();
            // So is an id that is no UUID in a link: a page that says so.
            browser.get(stack.console.url() + "/connections/not-a-uuid");
            assertThat(await(d -> d.findElement(By.tagName("h1"))).getText()).isEqualTo("No such page");
            assertThat(browser.findElement(By.className("problem")).getText()).contains("/connections/not-a-uuid");
        } finally {
            stack.snowflake.unsetKeySlot(ACCOUNT, "SVC_ORDERS", 1);
        }
    }

    @Test
    @Order(60)
    void theOverviewMarksAStoppedServiceDownAndStaysUseful() {
        browser.get(stack.console.url() + "/");
        assertThat(browser.findElement(By.id("status-certificate-service")).getText()).isEqualTo("UP");

        stack.certificateService.stop();
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("status-certificate-service")).getText()).isEqualTo("UNREACHABLE");
        assertThat(browser.findElement(By.id("health-certificate-service")).getText()).contains("cannot be reached");
        assertThat(browser.findElement(By.id("status-connection-service")).getText()).isEqualTo("UP");
        assertThat(browser.findElement(By.id("status-rotation-service")).getText()).isEqualTo("UP");
        assertThat(browser.findElement(By.id("expiring")).getText()).contains("certificate-service is unavailable");
        assertThat(browser.findElement(By.id("audit")).getText()).contains("rotation.started");
        Browser.screenshot(browser, "overview-service-down");
    }

    @Test
    @Order(70)
    void signInThroughTheIdentityProvidersAuthorizationCodeFlow() {
        browser.findElement(By.cssSelector(".sign-out button")).click();
        await(d -> d.findElement(By.id("oidc-sign-in"))).click();

        await(d -> d.findElement(By.tagName("h1")).getText().equals("Overview"));
        assertThat(browser.findElement(By.className("who")).getText()).isEqualTo("olivia");
        assertThat(browser.getPageSource()).doesNotContain("console-secret-for-tests");
        assertThat(browser.manage().getCookieNamed("keyline-console-session").isHttpOnly()).isTrue();
        Browser.screenshot(browser, "oidc-signed-in");
    }

    private static void fillCertificateForm(String name, Path certificate, Path key, String passphrase) {
        WebElement nameField = browser.findElement(By.id("name"));
        nameField.clear();
        nameField.sendKeys(name);
        WebElement domains = browser.findElement(By.id("authorizedDomains"));
        domains.clear();
        domains.sendKeys("api.example.com\n*.partner.example.org:8443");
        browser.findElement(By.id("clientCertificateFile")).sendKeys(certificate.toString());
        browser.findElement(By.id("clientKeyFile")).sendKeys(key.toString());
        browser.findElement(By.id("passphrase")).sendKeys(passphrase);
    }

    /** The radio button of the certificate listed under {@code name} on the API connector form. */
    private static void pickCertificate(String name) {
        String radioId = browser.findElement(By.xpath("//table[@id='certificate-options']//label[text()='" + name + "']"))
                .getAttribute("for");
        WebElement radio = browser.findElement(By.id(radioId));
        if (!radio.isSelected()) {
            radio.click();
        }
    }

    private static <T> T await(java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    /** The key-admin connection is set-up, not a flow under test: created through the API. */
    private static String createKeyAdminConnection(KeyPair adminKey) throws IOException, InterruptedException {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "snowflake");
        details.put("account", ACCOUNT.toLowerCase());
        details.put("host", stack.snowflake.url());
        details.put("user", "CONSOLE_ROTATOR");
        details.put("role", "KEY_ADMIN");
        details.put("warehouse", "COMPUTE_WH");
        details.put("authType", "key-pair");
        details.put("privateKey", Pkcs8.toPem(adminKey.getPrivate()));
        // A key-admin manages only the users it declares (connection-service refuses the rest).
        details.put("managesUsers", java.util.List.of("SVC_*"));
        Map<String, Object> body = Map.of("name", "acme-key-admin", "details", details);
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.connectionService.url() + "/api/v1/connections"))
                        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asText();
    }
}
