package dev.keyline.connection;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.keyline.common.problem.FieldError;

/**
 * How a login attempt went, as a value (creating a connection does not fail because Snowflake
 * does not accept the key yet).
 *
 * @param code Snowflake's error code ({@code 390144}), null on success or without one
 * @param type the problem type slug the same failure has on {@code /test}, null on success
 * @param errors the field errors the same failure has on {@code /test} (a role not granted names
 *        {@code details.role}), null when it names no field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoginCheck(boolean ok, String code, String type, String detail, Long latencyMillis,
        List<FieldError> errors) {

    /** A login that went through, or failed naming no field. */
    public LoginCheck(boolean ok, String code, String type, String detail, Long latencyMillis) {
        this(ok, code, type, detail, latencyMillis, null);
    }
}
