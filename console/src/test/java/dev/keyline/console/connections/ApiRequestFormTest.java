package dev.keyline.console.connections;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.console.api.Problem;

class ApiRequestFormTest {

    @Test
    void headersAndQueryLinesBecomeMapsAndAGetSendsNoBody() {
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, Object> request = new ApiRequestForm("get", "/v1/orders", "status=open\n\nlimit = 10",
                "Accept: application/json\r\nX-Trace: a:b", "ignored").toRequest(errors);
        assertThat(errors).isEmpty();
        assertThat(request).containsEntry("method", "GET").containsEntry("path", "/v1/orders")
                .containsEntry("query", Map.of("status", "open", "limit", "10"))
                .containsEntry("headers", Map.of("Accept", "application/json", "X-Trace", "a:b"))
                .containsEntry("body", null);
    }

    @Test
    void aHeaderLineWithoutANameIsAFieldErrorThatDoesNotQuoteTheLine() {
        List<Problem.FieldError> errors = new ArrayList<>();
        new ApiRequestForm("POST", "orders", "", "Authorization: Bearer s3cr3t\nBearer-only-s3cr3t", "{}")
                .toRequest(errors);
        assertThat(errors).extracting(Problem.FieldError::field).containsExactly("path", "headers");
        assertThat(errors.get(1).reason()).contains("line 2").doesNotContain("s3cr3t");
    }

    @Test
    void anUnknownMethodIsRefusedAndAReShownFormHasNoHeaders() {
        List<Problem.FieldError> errors = new ArrayList<>();
        ApiRequestForm form = new ApiRequestForm("TRACE", "/", "", "X-Api-Key: k", "");
        form.toRequest(errors);
        assertThat(errors).extracting(Problem.FieldError::field).containsExactly("method");
        assertThat(form.withoutHeaders().headers()).isEmpty();
    }
}
