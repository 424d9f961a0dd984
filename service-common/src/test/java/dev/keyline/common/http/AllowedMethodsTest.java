package dev.keyline.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Allow of a 405, as JAX-RS would match the path against the routes. (Reading the routes from real
 * resource classes is checked in each service's AuthorizationMatrixTest against its OpenAPI
 * document: a JAX-RS class here would become an endpoint of every service's tests.)
 */
class AllowedMethodsTest {

    private final AllowedMethods routes = AllowedMethods.ofTemplates(List.of(
            new String[] { "GET", "/api/v1/things" },
            new String[] { "POST", "/api/v1/things/" },
            new String[] { "GET", "/api/v1/things/{id}" },
            new String[] { "DELETE", "/api/v1/things//{ id }" },
            new String[] { "GET", "/api/v1/things/search" },
            new String[] { "PUT", "/api/v1/things/{id}/slots/{n: [12]}" },
            new String[] { "PUT", "/api/v1/things/{id}/shape/{v: \\d{2}}" },
            new String[] { "POST", "api/v1/things/{id}/act" }));

    @Test
    void theMethodsOfThePathAskedFor() {
        assertThat(routes.forPath("/api/v1/things")).containsExactly("GET", "HEAD", "OPTIONS", "POST");
        assertThat(routes.forPath("/api/v1/things/")).containsExactly("GET", "HEAD", "OPTIONS", "POST");
        assertThat(routes.forPath("/api/v1/things/7")).containsExactly("DELETE", "GET", "HEAD", "OPTIONS");
        assertThat(routes.forPath("/api/v1/things/7/act")).containsExactly("OPTIONS", "POST");
        assertThat(routes.forPath("/api/v1/things/7/slots/2")).containsExactly("OPTIONS", "PUT");
        assertThat(routes.forPath("/api/v1/things/7/shape/42")).containsExactly("OPTIONS", "PUT");
    }

    @Test
    void aLiteralPathDoesNotInheritTheTemplateBesideIt() {
        assertThat(routes.forPath("/api/v1/things/search")).containsExactly("GET", "HEAD", "OPTIONS");
    }

    @Test
    void aRegexParameterLimitsWhatMatches() {
        assertThat(routes.forPath("/api/v1/things/7/slots/3")).isEmpty();
        assertThat(routes.forPath("/api/v1/things/7/shape/123")).isEmpty();
        assertThat(routes.forPath("/api/v1/nothing")).isEmpty();
        assertThat(routes.forPath("/api/v1/things/7/act/more")).isEmpty();
    }
}
