package dev.keyline.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.keyline.common.problem.ProblemException;

/**
 * Query values that reached PostgreSQL and failed there with a 500 (a NUL in a text filter, an
 * instant beyond timestamptz) are 400s naming the parameter.
 */
class QueryValuesTest {

    @Test
    void textWithAControlCharacterIs400NamingTheParameter() {
        for (String bad : new String[] { "\u0000", "a\u0000b", "a\nb", "\u001f", "\u007f" }) {
            assertThatThrownBy(() -> QueryValues.text("actor", bad)).isInstanceOfSatisfying(ProblemException.class,
                    p -> {
                        assertThat(p.status()).isEqualTo(400);
                        assertThat(p.errors()).singleElement().satisfies(e -> {
                            assertThat(e.field()).isEqualTo("actor");
                            assertThat(e.reason()).contains("control characters");
                        });
                    });
        }
    }

    @Test
    void plainTextPassesUnchanged() {
        assertThat(QueryValues.text("name", null)).isNull();
        assertThat(QueryValues.text("name", "")).isEmpty();
        assertThat(QueryValues.text("name", " prod ÄÖ %_\\ ")).isEqualTo(" prod ÄÖ %_\\ ");
    }

    @Test
    void anInstantBeyondWhatPostgresHoldsIs400NamingTheParameter() {
        for (String extreme : new String[] { "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
                "+10000-01-01T00:00:00Z", "0000-12-31T23:59:59Z" }) {
            assertThatThrownBy(() -> QueryValues.instant("since", extreme))
                    .isInstanceOfSatisfying(ProblemException.class, p -> {
                        assertThat(p.status()).isEqualTo(400);
                        assertThat(p.errors()).singleElement().satisfies(e -> {
                            assertThat(e.field()).isEqualTo("since");
                            assertThat(e.reason()).contains("0001-01-01").contains("9999-12-31");
                        });
                    });
        }
    }

    @Test
    void theFirstAndLastInstantsOfTheRangeAreAccepted() {
        assertThat(QueryValues.instant("until", "0001-01-01T00:00:00Z")).isEqualTo(QueryValues.EARLIEST);
        assertThat(QueryValues.instant("until", "9999-12-31T23:59:59.999999999Z")).isEqualTo(QueryValues.LATEST);
        assertThat(QueryValues.instant("until", "2026-01-31T00:00:00Z")).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
    }
}
