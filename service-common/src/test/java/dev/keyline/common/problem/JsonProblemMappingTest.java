package dev.keyline.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
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
            Nested nested, java.util.List<Integer> list, java.util.Map<String, String> query) {
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
    void aLongMapKeyInTheFieldPathIsCutBeforeItIsEchoed() {
        String key = "k".repeat(5000);
        Problem p = (Problem) answer("{\"query\":{\"" + key + "\":5}}").getEntity();
        assertThat(p.errors()).hasSize(1);
        assertThat(p.errors().get(0).field()).startsWith("query.kkk").hasSize(ProblemMappers.MAX_FIELD_PATH + 1)
                .endsWith("…");
        assertThat(p.errors().get(0).reason()).isEqualTo("expected string");
    }

    @Test
    void contentAfterTheJsonValueIsMalformed() {
        assertFieldError("{\"name\":\"n\"} {\"enabled\":false}", "malformed-json", "$", "content after the JSON value");
        assertFieldError("{\"name\":\"n\"} garbage", "malformed-json", "$", "not valid JSON");
    }

    @Test
    void aBodyOfMoreTokensThanAnyRequestHasIsRefusedWhereTheBoundIsReached() {
        // 100,000 unknown keys: a record's reader buffers them all before it refuses one.
        StringBuilder keys = new StringBuilder("{");
        for (int i = 0; i < 100_000; i++) {
            keys.append("\"u").append(i).append("\":1,");
        }
        keys.append("\"name\":\"n\"}");
        assertFieldError(keys.toString(), "malformed-json", "$", "more than 10000 JSON tokens (keys, values, brackets)");
        assertFieldError("{\"list\":[" + "1,".repeat(20_000) + "1]}", "malformed-json", "$",
                "more than 10000 JSON tokens (keys, values, brackets)");
        // An unknown field's value is buffered whole, so its depth is reached before the field is refused.
        assertFieldError("{\"x\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}", "malformed-json", "$",
                "nested too deep");
        // A request's worth is read as before: 4,000 list entries.
        assertFieldError("{\"list\":[" + "1,".repeat(3_999) + "1], \"adopt\": 1}", "invalid-request", "adopt",
                "expected boolean (true or false)");
    }

    @Test
    void aNumberTooLargeForItsFieldIsOutOfRangeNotMalformed() {
        assertFieldError("{\"maxAttempts\":1099511627776}", "invalid-request", "maxAttempts", "number out of range");
        assertFieldError("{\"keySize\":1099511627776}", "invalid-request", "keySize", "number out of range");
        assertFieldError("{\"timeoutSecs\":99999999999999999999}", "invalid-request", "timeoutSecs",
                "number out of range");
        assertFieldError("{\"nested\":{\"count\":1099511627776}}", "invalid-request", "nested.count",
                "number out of range");
        assertFieldError("{\"list\":[1, 1099511627776]}", "invalid-request", "list[1]", "number out of range");
        // A fraction is refused for an integer field before its size matters.
        assertFieldError("{\"timeoutSecs\":1e20}", "invalid-request", "timeoutSecs", "expected whole number");
    }

    @Test
    void anOverflowTheParserThrowsUnwrappedIsPlacedByItsContext() throws Exception {
        InputCoercionException overflow = null;
        try (JsonParser p = mapper.createParser("{\"a\":{\"b\":[0, 1099511627776]}}")) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                    p.getIntValue();
                }
            }
        } catch (InputCoercionException e) {
            overflow = e;
        }
        Problem p = (Problem) mappers.malformedJson(overflow, null).getEntity();
        assertThat(p.errors()).containsExactly(new FieldError("a.b[1]", "number out of range"));
    }

    private void assertFieldError(String body, String type, String field, String reason) {
        String shown = body.length() <= 120 ? body : body.substring(0, 120) + "… (" + body.length() + " characters)";
        Response r = answer(body, shown);
        assertThat(r.getStatus()).as(shown).isEqualTo(400);
        assertThat(r.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        Problem p = (Problem) r.getEntity();
        assertThat(p.type()).as(shown).isEqualTo(Problem.type(type));
        assertThat(p.errors()).as(shown).containsExactly(new FieldError(field, reason));
    }

    /** The answer to {@code body}, from the mapper Quarkus REST would choose for what reading it threw. */
    Response answer(String body) {
        return answer(body, body);
    }

    private Response answer(String body, String shown) {
        try {
            mapper.readValue(body, Body.class);
        } catch (InvalidFormatException e) {
            return mappers.badFormat(e, null);
        } catch (MismatchedInputException e) {
            return mappers.mismatched(e, null);
        } catch (JsonProcessingException e) {
            return mappers.malformedJson(e, null);
        }
        throw new AssertionError("read without complaint: " + shown);
    }
}
