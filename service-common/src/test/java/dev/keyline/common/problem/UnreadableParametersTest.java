package dev.keyline.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.junit.jupiter.api.Test;

class UnreadableParametersTest {

    private static MultivaluedMap<String, String> query(String... pairs) {
        MultivaluedMap<String, String> q = new MultivaluedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.add(pairs[i], pairs[i + 1]);
        }
        return q;
    }

    private static Throwable conversionOf(String value) {
        try {
            Integer.parseInt(value);
            throw new AssertionError("parsed " + value);
        } catch (NumberFormatException e) {
            return e;
        }
    }

    @Test
    void namesTheNumberParameterTheConverterRefused() {
        assertThat(UnreadableParameters.of(conversionOf("abc"), query("page", "0", "size", "abc", "state", "DONE")))
                .containsExactly(new FieldError("size", "must be a whole number within range"));
        assertThat(UnreadableParameters.of(conversionOf("2147483648"), query("size", "2147483648", "page", "1")))
                .extracting(FieldError::field).containsExactly("size");
        assertThat(UnreadableParameters.of(conversionOf(""), query("size", "", "page", "1")))
                .extracting(FieldError::field).containsExactly("size");
    }

    @Test
    void namesAnIdParameterAndWrapsNothingElse() {
        Throwable uuid;
        try {
            UUID.fromString("not-a-uuid");
            throw new AssertionError();
        } catch (IllegalArgumentException e) {
            uuid = new RuntimeException("Unable to handle parameter", e);
        }
        assertThat(UnreadableParameters.of(uuid, query("connectionId", "not-a-uuid", "size", "20")))
                .containsExactly(new FieldError("connectionId", "has a value of the wrong type"));
    }

    @Test
    void aFailureAboutNoQueryParameterStaysUnnamed() {
        // A path parameter (/connections/abc) that does not convert: no query parameter carries the value.
        assertThat(UnreadableParameters.of(conversionOf("abc"), query("size", "20"))).isEmpty();
        assertThat(UnreadableParameters.of(null, query("size", "abc"))).isEmpty();
        assertThat(UnreadableParameters.of(conversionOf("abc"), new MultivaluedHashMap<>())).isEmpty();
    }

    @Test
    void theReasonNeverRepeatsTheValue() {
        String secretish = "s3cr3t-value";
        assertThat(UnreadableParameters.of(conversionOf(secretish), query("size", secretish)))
                .allSatisfy(e -> assertThat(e.reason()).doesNotContain(secretish));
    }
}
