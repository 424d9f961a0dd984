package dev.keyline.connection;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a login attempt went, as a value (creating a connection does not fail because Snowflake
 * does not accept the key yet).
 *
 * @param code Snowflake's error code ({@code 390144}), null on success or without one
 * @param type the problem type slug the same failure has on {@code /test}, null on success
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoginCheck(boolean ok, String code, String type, String detail, Long latencyMillis) {
}
