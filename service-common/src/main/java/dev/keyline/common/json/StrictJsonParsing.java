package dev.keyline.common.json;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Two leniencies of Jackson that let a request mean something other than what it says:
 *
 * <ul>
 * <li>A JSON object naming the same key twice: Jackson keeps the last value, so
 * {@code {"name":"ok","name":"<other>"}} would be read one way by a proxy, a log or an audit trail
 * and acted on another way here. Refused.
 * <li>An empty or blank string where a UUID, number or boolean belongs: Jackson reads it as null,
 * so 64 KiB of spaces in {@code keyAdminConnectionId} silently means "the default". Refused as the
 * wrong type.
 * </ul>
 */
@Singleton
public class StrictJsonParsing implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        for (LogicalType type : new LogicalType[] { LogicalType.OtherScalar, LogicalType.Integer, LogicalType.Float,
                LogicalType.Boolean }) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setAcceptBlankAsEmpty(false);
        }
    }
}
