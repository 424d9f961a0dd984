package dev.keyline.e2e.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.keyline.common.testing.ServiceProcess;
import dev.keyline.console.browser.Browser;

/**
 * The console with Keycloak as its identity provider, in headless Chromium: a person of the realm
 * signs in on Keycloak's own login page (the console's confidential client {@code keyline-console},
 * authorization code with PKCE), lands in the console and sees what the services show for her
 * token; a person without any permission sees the services' 403 as the console explains it. Each
 * test saves its final page under target/screenshots/.
 */
class ConsoleSignInIT {

    @RegisterExtension
    static final KeycloakStack.Shared STACK = new KeycloakStack.Shared();

    static KeycloakStack stack;
    static ServiceProcess console;
    static String consoleUrl;
    WebDriver browser;

    @BeforeAll
    static void startTheConsole() {
        stack = STACK.get();
        int[] ports = { ServiceProcess.freePort(), ServiceProcess.freePort() };
        Map<String, String> env = new HashMap<>(KeycloakStack.ports(ports));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("CONSOLE_OIDC_ISSUER", stack.keycloak.issuer());
        env.put("CONSOLE_OIDC_CLIENT_ID", Keycloak.CONSOLE_CLIENT);
        env.put("CONSOLE_OIDC_CLIENT_SECRET", Keycloak.CONSOLE_CLIENT_SECRET);
        env.put("CONSOLE_SECURE_COOKIE", "false");
        env.put("CERTIFICATE_SERVICE_URL", stack.certificateUrl);
        env.put("CERTIFICATE_SERVICE_MANAGEMENT_URL", stack.certificateManagementUrl);
        env.put("CONNECTION_SERVICE_URL", stack.connectionUrl);
        env.put("CONNECTION_SERVICE_MANAGEMENT_URL", stack.connectionManagementUrl);
        env.put("ROTATION_SERVICE_URL", stack.rotationUrl);
        env.put("ROTATION_SERVICE_MANAGEMENT_URL", stack.rotationManagementUrl);
        console = ServiceProcess.startJar("console", stack.jar("console"), env, stack.log("console"));
        console.awaitReady("http://127.0.0.1:" + ports[1] + "/q/health/ready", Duration.ofSeconds(120));
        consoleUrl = "http://127.0.0.1:" + ports[0];
    }

    @AfterAll
    static void stopTheConsole() {
        if (console != null) {
            console.close();
        }
    }

    @AfterEach
    void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aRealmUserSignsInAtKeycloakAndSeesTheCertificatesAndWhoUsesThem() throws Exception {
        String alice = stack.alice();
        try (PartnerApi partner = new PartnerApi(stack, alice, "console-kc-client")) {
            String connectorName = "console-kc-api-" + UUID.randomUUID().toString().substring(0, 8);
            partner.connector(alice, connectorName);

            browser = Browser.start(stack.target.resolve("browser-profiles"));
            signInAtKeycloak("alice", "alice-local");
            await(d -> d.findElement(By.tagName("h1")).getText().equals("Overview"));
            assertThat(browser.getCurrentUrl()).startsWith(consoleUrl);
            assertThat(browser.findElement(By.className("who")).getText()).isEqualTo("alice");
            assertThat(browser.manage().getCookieNamed("keyline-console-session").isHttpOnly()).isTrue();
            assertThat(browser.getPageSource()).doesNotContain(Keycloak.CONSOLE_CLIENT_SECRET);

            // What certificate-service lists for alice's token, with the connector presenting it.
            browser.get(consoleUrl + "/certificates");
            WebElement row = await(d -> d.findElement(By.xpath(
                    "//table[@id='certificates']//tr[td/a[text()='" + partner.certificateName + "']]")));
            assertThat(row.getText()).contains("CN=console-kc-client");
            assertThat(row.findElement(By.className("used-by")).getText()).isEqualTo(connectorName);
            Browser.scrollTo(browser, row);
            Browser.screenshot(browser, "keycloak-signed-in-certificates");
        }
    }

    @Test
    void aRealmUserWithoutPermissionsSeesTheServicesRefusal() {
        browser = Browser.start(stack.target.resolve("browser-profiles"));
        signInAtKeycloak("nora", "nora-local");
        await(d -> d.findElement(By.className("who")).getText().equals("nora"));

        browser.get(consoleUrl + "/certificates");
        WebElement heading = await(d -> d.findElement(By.tagName("h1")));
        assertThat(heading.getText()).isEqualTo("certificate-service refused the request");
        WebElement problem = browser.findElement(By.cssSelector("section.problem[role='alert']"));
        assertThat(problem.getText()).contains("(403)").contains("lacks the permission");
        // Signed in still: the refusal is the service's, not a lost session.
        assertThat(browser.findElement(By.className("who")).getText()).isEqualTo("nora");
        Browser.screenshot(browser, "keycloak-no-permission");
    }

    /** From the console's sign-in page through Keycloak's login form and back. */
    private void signInAtKeycloak(String username, String password) {
        browser.get(consoleUrl + "/");
        await(d -> d.findElement(By.id("oidc-sign-in"))).click();
        // Keycloak's own login page of the realm keyline.
        await(d -> d.getCurrentUrl().startsWith(stack.keycloak.issuer()) ? d.findElement(By.id("username")) : null)
                .sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("kc-login")).click();
        await(d -> d.getCurrentUrl().startsWith(consoleUrl) && !d.getCurrentUrl().contains("/oidc/") ? true : null);
    }

    private <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }
}
