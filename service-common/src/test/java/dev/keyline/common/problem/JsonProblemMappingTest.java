package dev.keyline.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.keyline.common.json.StrictJsonParsing;

/**
 * What a client is told about a body the services' (strict) ObjectMapper refuses: 400 problem+json
 * naming the field and the type it takes, as Quarkus REST would pick the mapper (the most specific
 * exception type).
 */
class JsonProblemMappingTest {

    record Body(Boolean adopt, boolean enabled, Integer keySize, int maxAttempts, long timeoutSecs, String name,
            Nested nested) {
    }

    record Nested(int count) {
    }

    private final ProblemMappers mappers = new ProblemMappers();
    private final ObjectMapper mapper = new ObjectMapper();

    JsonProblemMappingTest() {
        new StrictJsonParsing().customize(mapper);
    }

    @Test
    void aValueOfAnotherTypeNamesTheFieldAndTheTypeItTakes() {
        assertFieldError("{\"adopt\":1}", "invalid-request", "adopt", "expected boolean (true or false)");
        assertFieldError("{\"enabled\":\"true\"}", "invalid-request", "enabled", "expected boolean (true or false)");
        assertFieldError("{\"keySize\":2048.7}", "invalid-request", "keySize", "expected whole number");
        assertFieldError("{\"timeoutSecs\":\"30\"}", "invalid-request", "timeoutSecs", "expected whole number");
        assertFieldError("{\"name\":123}", "invalid-request", "name", "expected string");
        assertFieldError("{\"nested\":{\"count\":true}}", "invalid-request", "nested.count", "expected whole number");
    }

    @Test
    void contentAfterTheJsonValueIsMalformed() {
        assertFieldError("{\"name\":\"n\"} {\"enabled\":false}", "malformed-json", "$", "content after the JSON value");
        assertFieldError("{\"name\":\"n\"} garbage", "malformed-json", "$", "not valid JSON");
    }

    private void assertFieldError(String body, String type, String field, String reason) {
        Response r = answer(body);
        assertThat(r.getStatus()).as(body).isEqualTo(400);
        assertThat(r.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        Problem p = (Problem) r.getEntity();
        assertThat(p.type()).as(body).isEqualTo(Problem.type(type));
        assertThat(p.errors()).as(body).containsExactly(new FieldError(field, reason));
    }

    /** The answer to {@code body}, from the mapper Quarkus REST would choose for what reading it threw. */
    Response answer(String body) {
        try {
            mapper.readValue(body, Body.class);
        } catch (InvalidFormatException e) {
            return mappers.badFormat(e, null);
        } catch (MismatchedInputException e) {
            return mappers.mismatched(e, null);
        } catch (JsonProcessingException e) {
            return mappers.malformedJson(e, null);
        }
        throw new AssertionError("read without complaint: " + body);
    }
}
