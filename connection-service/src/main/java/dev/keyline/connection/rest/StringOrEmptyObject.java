package dev.keyline.connection.rest;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * A text field that also accepts an empty JSON object as "none": Sigma's key-pair rotation
 * QuickStart sends {@code "description": {}}. Any other object, array, number or boolean is still
 * refused as the wrong shape (the mapper names the field, never the value).
 */
public class StringOrEmptyObject extends StdDeserializer<String> {

    public StringOrEmptyObject() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (token == JsonToken.START_OBJECT && p.nextToken() == JsonToken.END_OBJECT) {
            return null;
        }
        return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
}
