package dev.keyline.connection.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keyline.common.problem.ProblemException;

/** A connector call stays under its baseUrl. */
class ApiTargetTest {

    static final String BASE = "https://api.partner.test/v1/";

    @Test
    void pathsResolveUnderTheBaseUrl() {
        assertThat(ApiTarget.url(BASE, "orders/42", null)).isEqualTo("https://api.partner.test/v1/orders/42");
        assertThat(ApiTarget.url(BASE, "/orders", null)).isEqualTo("https://api.partner.test/v1/orders");
        assertThat(ApiTarget.url(BASE, "", null)).isEqualTo(BASE);
        assertThat(ApiTarget.url(BASE, null, null)).isEqualTo(BASE);
        assertThat(ApiTarget.url("https://api.partner.test/v1", "orders", null)).isEqualTo("https://api.partner.test/v1/orders");
        assertThat(ApiTarget.url(BASE, "a%20b/x:y@z", null)).isEqualTo("https://api.partner.test/v1/a%20b/x:y@z");
        // Names that only contain dots, blanks or a colon stay: none of them is a dot segment.
        assertThat(ApiTarget.url(BASE, "v1.2/...:x/a..b/%20x/100%25", null))
                .isEqualTo("https://api.partner.test/v1/v1.2/...:x/a..b/%20x/100%25");
    }

    @Test
    void queryParametersAreEncodedAndAppendedToTheBaseUrlsOwn() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("q", "a b&c=d");
        query.put("limit", "10");
        assertThat(ApiTarget.url(BASE, "search", query))
                .isEqualTo("https://api.partner.test/v1/search?limit=10&q=a%20b%26c%3Dd");
        assertThat(ApiTarget.url("https://api.partner.test/v1/?tenant=7", "search", Map.of("q", "x")))
                .isEqualTo("https://api.partner.test/v1/search?tenant=7&q=x");
    }

    @ParameterizedTest
    @ValueSource(strings = { "../admin", "orders/../../admin", "%2e%2e/admin", "%2E./admin", "./x", "//evil.test/x",
            "https://evil.test/", "http:evil", "javascript:alert(1)", "a\\b", "orders?x=1", "a#frag", "a b", "a\nb",
            "a%2fb", "a%5Cb", "a%zz", "ä",
            // A segment's ;parameters: Tomcat, Jetty and Spring read "..;x" as "..", so it climbs all the same.
            "..;/admin", "orders/..;x=1/..;/admin", "%2e%2e;/admin", ".;/x", "..%3b/admin",
            // What lenient servers read as "..": NUL or blanks around it, double encoding, overlong UTF-8, a stream name.
            "..%00/ok", "a/..%00/ok", "..%20/ok", "..%09/ok", "%20..%20/ok", "%c0%ae%c0%ae/ok", "%252e%252e/ok",
            "%25252e%25252e/ok", "x/..:y", "..%3ay/ok", "a%252fb" })
    void pathsLeavingTheBaseUrlAreRefused(String path) {
        assertThatThrownBy(() -> ApiTarget.url(BASE, path, null)).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(400));
    }

    @Test
    void hopByHopHostAndCredentialHeadersAreRefused() {
        for (String name : new String[] { "Host", "authorization", "Proxy-Authorization", "Connection", "Transfer-Encoding",
                "Content-Length", "TE", "Upgrade" }) {
            assertThat(ApiTarget.headerProblems(Map.of(name, "x"))).as(name).hasSize(1);
        }
        assertThat(ApiTarget.headerProblems(Map.of("X-Ok", "line\r\nInjected: 1"))).hasSize(1);
        assertThat(ApiTarget.headerProblems(Map.of("bad name", "x"))).hasSize(1);
        assertThat(ApiTarget.headerProblems(Map.of("Accept", "application/json", "X-Request-Id", "abc"))).isEmpty();
    }
}
