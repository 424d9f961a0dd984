package dev.keyline.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** A request body means what it says: no value is converted from another JSON type, nothing follows it. */
class StrictJsonParsingTest {

    record Body(Boolean adopt, boolean enabled, Integer keySize, int maxAttempts, long timeoutSecs, Double ratio,
            String name, UUID id, List<String> domains) {
    }

    private final ObjectMapper mapper = strict();

    static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictJsonParsing().customize(mapper);
        return mapper;
    }

    @Test
    void valuesOfTheirOwnTypeAreRead() throws Exception {
        Body b = mapper.readValue("""
                {"adopt":true,"enabled":false,"keySize":2048,"maxAttempts":3,"timeoutSecs":30,"ratio":0.5,
                 "name":"n","id":"3f1c1f3e-2b1a-4c55-9d7e-0e7f4a1b2c3d","domains":["a"]}
                """, Body.class);
        assertThat(b.adopt()).isTrue();
        assertThat(b.enabled()).isFalse();
        assertThat(b.keySize()).isEqualTo(2048);
        assertThat(b.maxAttempts()).isEqualTo(3);
        assertThat(b.timeoutSecs()).isEqualTo(30);
        assertThat(b.ratio()).isEqualTo(0.5);
        assertThat(b.name()).isEqualTo("n");
        // A whole number where a fraction may stand is still a number.
        assertThat(mapper.readValue("{\"ratio\":2}", Body.class).ratio()).isEqualTo(2.0);
    }

    @Test
    void fieldNamesTheCallerChoseAreNotInterned() throws Exception {
        String interned = "keylineInternProbe"; // a literal: the JVM's interned instance of this name
        // As a request body arrives: bytes (a String or Reader is parsed by another symbol table, whose
        // features were fixed when Quarkus made the factory; no request body is read that way).
        byte[] body = "{\"keylineInternProbe\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (var parser = mapper.getFactory().createParser(new java.io.ByteArrayInputStream(body))) {
            parser.nextToken();
            parser.nextToken();
            String read = parser.currentName();
            assertThat(read).isEqualTo(interned).isNotSameAs(interned);
        }
    }

    @Test
    void numbersAndStringsForBooleansAreRefused() {
        refused("{\"adopt\":1}", "{\"adopt\":0}", "{\"enabled\":0}", "{\"enabled\":1.0}", "{\"adopt\":\"true\"}",
                "{\"enabled\":\"false\"}");
    }

    @Test
    void fractionsStringsAndBooleansForNumbersAreRefused() {
        refused("{\"keySize\":2048.7}", "{\"keySize\":2048.0}", "{\"maxAttempts\":3.5}", "{\"timeoutSecs\":\"30\"}",
                "{\"keySize\":\"2048\"}", "{\"maxAttempts\":true}", "{\"ratio\":\"0.5\"}", "{\"ratio\":false}");
    }

    @Test
    void numbersAndBooleansForStringsAreRefused() {
        refused("{\"name\":123}", "{\"name\":1.5}", "{\"name\":true}", "{\"domains\":[1]}");
    }

    @Test
    void contentAfterTheJsonValueIsRefused() {
        for (String body : new String[] { "{\"name\":\"n\"} {\"enabled\":false}", "{\"name\":\"n\"} garbage",
                "{\"name\":\"n\"}]" }) {
            assertThatThrownBy(() -> mapper.readValue(body, Body.class)).as(body)
                    .isInstanceOf(JsonProcessingException.class);
        }
    }

    private void refused(String... bodies) {
        for (String body : bodies) {
            assertThatThrownBy(() -> mapper.readValue(body, Body.class)).as(body)
                    .isInstanceOf(MismatchedInputException.class);
        }
    }
}
