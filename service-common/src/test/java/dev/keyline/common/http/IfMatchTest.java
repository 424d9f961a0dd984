package dev.keyline.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.keyline.common.problem.ProblemException;

/** PUT replaces a versioned resource only against the version the client read: If-Match is required. */
class IfMatchTest {

    @Test
    void aMissingHeaderIs428PreconditionRequired() {
        for (String absent : new String[] { null, "", "  " }) {
            assertThatThrownBy(() -> IfMatch.required(absent)).isInstanceOfSatisfying(ProblemException.class, p -> {
                assertThat(p.status()).isEqualTo(428);
                assertThat(p.slug()).isEqualTo("precondition-required");
                assertThat(p.errors()).extracting(e -> e.field()).containsExactly("If-Match");
            });
        }
    }

    @Test
    void theVersionIsReadFromStrongWeakAndBareTags() {
        assertThat(IfMatch.required("\"7\"")).isEqualTo(7L);
        assertThat(IfMatch.required("W/\"7\"")).isEqualTo(7L);
        assertThat(IfMatch.required("7")).isEqualTo(7L);
    }

    @Test
    void aMalformedTagIs400() {
        assertThatThrownBy(() -> IfMatch.required("\"abc\"")).isInstanceOfSatisfying(ProblemException.class,
                p -> assertThat(p.status()).isEqualTo(400));
    }
}
