package dev.keyline.common.json;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Leniencies of Jackson that let a request mean something other than what it says:
 *
 * <ul>
 * <li>A JSON object naming the same key twice: Jackson keeps the last value, so
 * {@code {"name":"ok","name":"<other>"}} would be read one way by a proxy, a log or an audit trail
 * and acted on another way here. Refused.
 * <li>An empty or blank string where a UUID, number or boolean belongs: Jackson reads it as null,
 * so 64 KiB of spaces in {@code keyAdminConnectionId} silently means "the default". Refused as the
 * wrong type.
 * <li>A value of another JSON type converted to the field's: {@code "adopt": 1} read as true (adopt
 * overrides a safety guard), {@code "enabled": 0} as false, {@code "enabled": "true"} as true,
 * {@code "keySize": 2048.7} as 2048, {@code "timeoutSecs": "30"} as 30, {@code "name": 123} as "123".
 * Refused as the wrong type: a boolean must be {@code true} or {@code false}, a number a JSON number
 * (an integer field a whole one), a string a JSON string. The console sends real numbers and
 * booleans (text that is not a number only to have it refused naming the field).
 * <li>Content after the JSON value ({@code {…} {"enabled":false} garbage}): Jackson stopped after the
 * first value, so the body meant one thing to whatever read all of it and another here. Refused.
 * </ul>
 *
 * And one cost: Jackson 2 interns every field name it reads ({@code String.intern}), also the names of
 * unknown fields, which a record's reader buffers to the end of the object before anything refuses
 * them. A 1 MB body of 100,000 distinct unknown keys took 37 ms of parsing, 16 ms of it without the
 * interning (the caller chooses the names, the JVM's string table keeps them). Not interned here, as in
 * Jackson 3, for what is parsed from bytes (every request body; the symbol table of text input took its
 * features when Quarkus made the factory); names are still canonicalised per read, which keeps known
 * fields cheap. And a document has at most {@link #MAX_TOKENS} tokens (keys, values, brackets): the largest
 * the services read, a request or a peer's answer (an exchange's 200 headers), has ~1,000, while a 1 MB
 * body holds ~350,000; past the bound the read stops there (400 {@code malformed-json}, field {@code $}).
 */
@Singleton
public class StrictJsonParsing implements ObjectMapperCustomizer {

    /** The most tokens one JSON document may have. */
    public static final long MAX_TOKENS = 10_000;

    @Override
    @SuppressWarnings("deprecation") // Quarkus made the factory; a customizer only gets the mapper
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().disable(JsonFactory.Feature.INTERN_FIELD_NAMES);
        mapper.getFactory().setStreamReadConstraints(
                mapper.getFactory().streamReadConstraints().rebuild().maxTokenCount(MAX_TOKENS).build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.String);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean,
                CoercionInputShape.String);
        refuse(mapper, LogicalType.Float, CoercionInputShape.Boolean, CoercionInputShape.String);
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        for (LogicalType type : new LogicalType[] { LogicalType.OtherScalar, LogicalType.Integer, LogicalType.Float,
                LogicalType.Boolean }) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setAcceptBlankAsEmpty(false);
        }
    }

    private static void refuse(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
        }
    }
}
