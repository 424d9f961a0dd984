package dev.keyline.common.problem;

/**
 * One rejected input field. {@code field} is a JSON path such as {@code authorizedDomains[2]} so a
 * client can put the message next to the right input; {@code reason} never repeats the value,
 * because the value may be a secret.
 */
public record FieldError(String field, String reason) {
}
