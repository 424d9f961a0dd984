package dev.keyline.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import dev.keyline.http.RequestTooLarge;

/**
 * A chunked multipart upload over Quarkus REST's limit ends in a plain 413 WebApplicationException;
 * the client gets the same problem type as for any other oversized body, not a generic http-413.
 */
class TooLargeMappingTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void aPlain413IsRequestTooLarge() {
        Response r = mappers.web(new WebApplicationException(413), null);
        assertThat(r.getStatus()).isEqualTo(413);
        assertThat(r.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(r.getHeaderString("Connection")).isEqualTo("close");
        Problem p = (Problem) r.getEntity();
        assertThat(p.type()).isEqualTo(Problem.type(RequestTooLarge.TYPE));
        assertThat(p.title()).isEqualTo(RequestTooLarge.TITLE);
        assertThat(p.errors()).extracting(FieldError::field).containsExactly("$");
    }

    @Test
    void otherStatusesKeepTheirGenericType() {
        Problem p = (Problem) mappers.web(new WebApplicationException(406), null).getEntity();
        assertThat(p.type()).isEqualTo(Problem.type("http-406"));
    }
}
