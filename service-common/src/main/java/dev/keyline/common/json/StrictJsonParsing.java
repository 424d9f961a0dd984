package dev.keyline.common.json;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Refuses a JSON object that names the same key twice. Jackson otherwise keeps the last value, so
 * {@code {"name":"ok","name":"<other>"}} would be checked by one reader and acted on by another
 * (a proxy, a log, an audit) as something else.
 */
@Singleton
public class StrictJsonParsing implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
