package dev.keyline.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.console.api.Problem;

class FormErrorsTest {

    private static final Problem PROBLEM = new Problem("urn:keyline:problem:invalid-key-material", null, 400,
            "The key cannot be used", List.of(new Problem.FieldError("details.privateKeyPassphrase", "wrong passphrase"),
                    new Problem.FieldError("authorizedDomains[1]", "wildcards over public suffixes are refused"),
                    new Problem.FieldError("timeoutSecs", "must be at most 300")));

    @Test
    void eachFieldErrorLandsOnItsFormFieldThroughTheAliases() {
        FormErrors errors = FormErrors.of(PROBLEM, Map.of("details.privateKeyPassphrase", "privateKeyPassphrase"));

        assertThat(errors.at("privateKeyPassphrase")).isEqualTo("wrong passphrase");
        assertThat(errors.at("authorizedDomains")).isEqualTo("[1]: wildcards over public suffixes are refused");
        assertThat(errors.at("name")).isEmpty();
    }

    @Test
    void errorsWithoutAFieldOnTheFormAreListedAtTheTop() {
        FormErrors errors = FormErrors.of(PROBLEM, Map.of("details.privateKeyPassphrase", "privateKeyPassphrase"));

        assertThat(errors.unplaced(new String[] { "privateKeyPassphrase", "authorizedDomains" }))
                .extracting(Problem.FieldError::field).containsExactly("timeoutSecs");
        assertThat(FormErrors.none().any()).isFalse();
        assertThat(FormErrors.none().at("name")).isEmpty();
    }
}
