package dev.keyline.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.core.Response;

import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.Problem;
import dev.keyline.common.problem.ProblemMappers;

/**
 * A body with several fields of the wrong type and unknown fields is refused naming every one of them
 * (with its JSON path) in one 400, as bean-validation errors are; malformed JSON is still one error;
 * no value is ever quoted.
 */
class EveryBadFieldTest {

    record Body(@NotBlank String name, @Size(max = 3) String description, Boolean adopt, boolean enabled,
            int maxAttempts, Integer keySize, UUID id, @NotNull @jakarta.validation.Valid Details details,
            List<Item> items, List<Integer> numbers, Map<String, String> headers,
            @JsonDeserialize(using = TextOnly.class) String note, Optional<String> maybe) {
    }

    record Details(@NotBlank String type, String account, @Size(max = 2) List<String> managesUsers, String privateKey) {
    }

    record Item(String label, int weight) {
    }

    /** A field's own deserializer, made by Jackson from the annotation rather than by its factory. */
    public static class TextOnly extends StdDeserializer<String> {
        public TextOnly() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (p.currentToken() == JsonToken.START_ARRAY) {
                // A one-element array's string, read with the mapper's own String deserializer: what it
                // refuses is this field's error, and so is what this one then refuses.
                String first = ctxt.readValue(p, String.class);
                return first != null ? first
                        : (String) ctxt.handleUnexpectedToken(String.class, JsonToken.START_ARRAY, p, null);
            }
            if (p.currentToken() == JsonToken.START_OBJECT) {
                // Reads into the object before refusing it: the rest of it must still be skipped.
                p.nextToken();
            }
            return (String) ctxt.handleUnexpectedToken(String.class, p);
        }
    }

    static final String SECRET = "-----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-secret-----END PRIVATE KEY-----";

    private final ObjectMapper mapper = mapper();

    static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module());
        new StrictJsonParsing().customize(mapper);
        new EveryBadField().customize(mapper);
        return mapper;
    }

    @Test
    void everyUnknownAndWronglyTypedFieldIsNamedAtOnceWithItsPath() {
        String body = """
                {"name": 5, "account": [], "colour": "red", "bogus": {"deep": [1, 2, {"x": "%s"}]},
                 "adopt": 1, "enabled": "true", "maxAttempts": 2.5, "keySize": 1099511627776, "id": "not-a-uuid",
                 "details": {"type": "snowflake", "account": {"a": 1}, "managesUsers": ["A", 7, "C"], "password": "%s",
                             "privateKey": "%s"},
                 "items": [{"label": "ok", "weight": 1}, {"label": true, "weight": "heavy", "extra": 1}],
                 "numbers": [1, "two", 3], "headers": {"X-A": "a", "X-B": 2}, "note": {"a": {"b": [1]}, "c": 2},
                 "maybe": 5}
                """.formatted(SECRET, SECRET, SECRET);
        JsonFieldErrors e = refused(body);
        // A record's unknown fields are met after its other fields (Jackson buffers them): the answer sorts.
        assertThat(e.errors()).containsExactlyInAnyOrder(
                new FieldError("name", "expected string"),
                new FieldError("account", "unknown field"),
                new FieldError("colour", "unknown field"),
                new FieldError("bogus", "unknown field"),
                new FieldError("adopt", "expected boolean (true or false)"),
                new FieldError("enabled", "expected boolean (true or false)"),
                new FieldError("maxAttempts", "expected whole number"),
                new FieldError("keySize", "number out of range"),
                new FieldError("id", "expected UUID"),
                new FieldError("details.account", "expected string"),
                new FieldError("details.managesUsers[1]", "expected string"),
                new FieldError("details.password", "unknown field"),
                new FieldError("items[1].label", "expected string"),
                new FieldError("items[1].weight", "expected whole number"),
                new FieldError("items[1].extra", "unknown field"),
                new FieldError("numbers[1]", "expected whole number"),
                new FieldError("headers.X-B", "expected string"),
                new FieldError("note", "expected string"),
                new FieldError("maybe", "expected string"));
        // What could be read was: the fields after each refused one too.
        Body partial = (Body) e.partialValue();
        assertThat(partial.name()).isNull();
        assertThat(partial.details().type()).isEqualTo("snowflake");
        assertThat(partial.details().managesUsers()).containsExactly("A", null, "C");
        assertThat(partial.items().get(0)).isEqualTo(new Item("ok", 1));
        assertThat(partial.items().get(1)).isEqualTo(new Item(null, 0));
        assertThat(partial.numbers()).containsExactly(1, null, 3);
        assertThat(partial.headers()).containsEntry("X-A", "a");
        // The answer: one 400, as bean validation's, in field order; no value quoted.
        Problem p = (Problem) new ProblemMappers().fieldErrors(e, null).getEntity();
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.type()).isEqualTo(Problem.type("invalid-request"));
        assertThat(p.detail()).isEqualTo("The request has 19 invalid field(s)");
        assertThat(p.errors()).extracting(FieldError::field).isSorted().hasSize(19);
        assertThat(String.valueOf(p)).doesNotContain("secret").doesNotContain("PRIVATE").doesNotContain("heavy")
                .doesNotContain("not-a-uuid").doesNotContain("1099511627776").doesNotContain("red");
        assertThat(e.getMessage()).doesNotContain("secret").doesNotContain("heavy");
    }

    @Test
    void aRootOfTheWrongShapeIsOneField() {
        assertThat(refused("[1, 2]").errors()).containsExactly(new FieldError("$", "wrong type or shape"));
        assertThat(refused("\"text\"").errors()).containsExactly(new FieldError("$", "wrong type or shape"));
        assertThat(refused("{\"details\": \"snowflake\", \"name\": 1}").errors()).containsExactly(
                new FieldError("details", "wrong type or shape"), new FieldError("name", "expected string"));
    }

    @Test
    void eachSingleRefusalIsNamedAsTheSingleFieldAnswersNameIt() {
        assertThat(refused("{\"adopt\":1}").errors()).containsExactly(new FieldError("adopt", "expected boolean (true or false)"));
        assertThat(refused("{\"name\":123}").errors()).containsExactly(new FieldError("name", "expected string"));
        assertThat(refused("{\"maxAttempts\":1099511627776}").errors())
                .containsExactly(new FieldError("maxAttempts", "number out of range"));
        assertThat(refused("{\"numbers\":[1, 1099511627776]}").errors())
                .containsExactly(new FieldError("numbers[1]", "number out of range"));
        assertThat(refused("{\"details\":{\"type\":\"t\",\"x\":1}}").errors())
                .containsExactly(new FieldError("details.x", "unknown field"));
    }

    @Test
    void aFieldIsNamedOnce() {
        // A value refused, inside a value refused by the field's own deserializer, is the field's error once.
        assertThat(refused("{\"note\": [1, 2], \"name\": true}").errors())
                .containsExactly(new FieldError("note", "expected string"), new FieldError("name", "expected string"));
    }

    @Test
    void malformedJsonIsStillOneErrorWhateverCameBefore() {
        assertThatThrownBy(() -> mapper.readValue("{\"name\": 5, \"bogus\": 1, \"adopt\": ", Body.class))
                .isInstanceOf(JsonProcessingException.class).isNotInstanceOf(JsonFieldErrors.class);
        assertThatThrownBy(() -> mapper.readValue("{\"name\": 5, \"details\": {\"type\": \"a\", \"type\": \"b\"}}", Body.class))
                .isInstanceOf(JsonProcessingException.class).isNotInstanceOf(JsonFieldErrors.class)
                .satisfies(e -> assertThat(ProblemMappers.isMalformed(e)).isTrue());
        assertThatThrownBy(() -> mapper.readValue("{\"name\": 5} {\"adopt\": true}", Body.class))
                .isInstanceOf(MismatchedInputException.class).isNotInstanceOf(JsonFieldErrors.class)
                .satisfies(e -> assertThat(ProblemMappers.isMalformed(e)).isTrue());
        assertThatThrownBy(() -> mapper.readValue("{\"name\": 5} garbage", Body.class))
                .isInstanceOf(JsonParseException.class);
    }

    @Test
    void aBodyOfTheRightTypesIsReadAsBefore() throws Exception {
        Body b = mapper.readValue("""
                {"name": "n", "enabled": true, "maxAttempts": 3, "id": "3f1c1f3e-2b1a-4c55-9d7e-0e7f4a1b2c3d",
                 "details": {"type": "snowflake", "managesUsers": ["A"]}, "items": [{"label": "x", "weight": 2}],
                 "numbers": [1], "headers": {"a": "b"}, "note": "text", "maybe": "m"}
                """, Body.class);
        assertThat(b.name()).isEqualTo("n");
        assertThat(b.enabled()).isTrue();
        assertThat(b.maxAttempts()).isEqualTo(3);
        assertThat(b.details().managesUsers()).containsExactly("A");
        assertThat(b.items()).containsExactly(new Item("x", 2));
        assertThat(b.note()).isEqualTo("text");
        assertThat(b.maybe()).contains("m");
        // The same mapper reads again and again: nothing is kept from an earlier read.
        refused("{\"name\": 5}");
        assertThat(mapper.readValue("{\"name\": \"again\"}", Body.class).name()).isEqualTo("again");
        assertThat(mapper.readTree("{\"any\": [1, \"x\"]}").get("any").size()).isEqualTo(2);
    }

    @Test
    void unknownFieldsAreRefusedOnlyWhereTheMapperRefusesThem() throws Exception {
        ObjectMapper lenient = mapper();
        lenient.disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        assertThat(lenient.readValue("{\"name\": \"n\", \"bogus\": {\"x\": 1}}", Body.class).name()).isEqualTo("n");
        assertThat(refusedBy(lenient, "{\"name\": 5, \"bogus\": 1}").errors())
                .containsExactly(new FieldError("name", "expected string"));
    }

    @Test
    void beanValidationNamesTheOtherBadFieldsOfWhatWasRead() {
        ProblemMappers mappers = new ProblemMappers() {
            @Override
            protected Validator validator() {
                return Validation.byProvider(HibernateValidator.class).configure()
                        .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
            }
        };
        // name: refused by Jackson, so not again as blank; description and details.managesUsers: bean validation's.
        JsonFieldErrors e = refused("""
                {"name": 5, "description": "long", "bogus": 1,
                 "details": {"type": "", "managesUsers": ["a", "b", "c"], "account": 1}}
                """);
        Response r = mappers.fieldErrors(e, null);
        assertThat(r.getStatus()).isEqualTo(400);
        Problem p = (Problem) r.getEntity();
        assertThat(p.errors()).containsExactly(
                new FieldError("bogus", "unknown field"),
                new FieldError("description", "size must be between 0 and 3"),
                new FieldError("details.account", "expected string"),
                new FieldError("details.managesUsers", "size must be between 0 and 2"),
                new FieldError("details.type", "must not be blank"),
                new FieldError("name", "expected string"));
        // Nothing read at all (the body is no object): Jackson's refusal alone.
        assertThat(((Problem) mappers.fieldErrors(refused("[]"), null).getEntity()).errors())
                .containsExactly(new FieldError("$", "wrong type or shape"));
    }

    @Test
    void aBodyOfCountlessBadFieldsIsAnsweredWithTheFirstHundred() {
        StringBuilder body = new StringBuilder("{");
        // Below StrictJsonParsing's bound of tokens (two per field), above the fields named.
        for (int i = 0; i < 4_000; i++) {
            body.append("\"u").append(i).append("\": ").append(i).append(',');
        }
        body.append("\"name\": \"n\"}");
        JsonFieldErrors e = refused(body.toString());
        assertThat(e.errors()).hasSize(EveryBadField.MAX_ERRORS);
        assertThat(e.errors().get(0)).isEqualTo(new FieldError("u0", "unknown field"));
    }

    private JsonFieldErrors refused(String body) {
        return refusedBy(mapper, body);
    }

    private static JsonFieldErrors refusedBy(ObjectMapper mapper, String body) {
        try {
            mapper.readValue(body, Body.class);
        } catch (JsonFieldErrors e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError("refused otherwise: " + e.getClass().getName(), e);
        }
        throw new AssertionError("read without complaint: " + body);
    }
}
