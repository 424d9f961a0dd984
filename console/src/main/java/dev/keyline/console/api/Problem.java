package dev.keyline.console.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.qute.TemplateData;

/** A service's RFC 9457 problem+json answer, as the console shows it. */
@TemplateData
@JsonIgnoreProperties(ignoreUnknown = true)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    @TemplateData
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FieldError(String field, String reason) {
    }

    /** The short type, e.g. {@code snowflake-jwt-rejected} of {@code urn:keyline:problem:snowflake-jwt-rejected}. */
    public String slug() {
        if (type == null) {
            return "error";
        }
        int colon = type.lastIndexOf(':');
        return colon < 0 ? type : type.substring(colon + 1);
    }

    public List<FieldError> fieldErrors() {
        return errors == null ? List.of() : errors;
    }

    /** A problem the console itself states (e.g. a status without a problem body). */
    public static Problem of(int status, String slug, String detail) {
        return new Problem("urn:keyline:problem:" + slug, null, status, detail, List.of());
    }
}
