package dev.keyline.common.problem;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details, the body of every error answer. {@code type} is stable and meant for
 * code to switch on; {@code detail} is for the human reading it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    private static final String TYPE_PREFIX = "urn:keyline:problem:";

    /** Builds the stable type URI from a short slug such as {@code invalid-request}. */
    public static URI type(String slug) {
        return URI.create(TYPE_PREFIX + slug);
    }
}
