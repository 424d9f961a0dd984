package dev.keyline.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.Problem;

/** A {@code ;} in an API path would be read as matrix parameters and cut from its segment: 400. */
class PathParameterRefusalTest {

    @Test
    void aSemicolonInAnApiPathIs400ProblemJson() {
        for (String path : new String[] { "/api/v1/certificates/1/consumers/a;b", "/api/v1/connections;x=1",
                "/api/v1/rotation-policies/;" }) {
            Response r = PathParameterRefusal.refusal(path);
            assertThat(r).as(path).isNotNull();
            assertThat(r.getStatus()).isEqualTo(400);
            assertThat(r.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
            Problem p = (Problem) r.getEntity();
            assertThat(p.type()).isEqualTo(Problem.type("invalid-request"));
            assertThat(p.errors()).extracting(FieldError::field).containsExactly("path");
        }
    }

    @Test
    void otherPathsGoOn() {
        for (String path : new String[] { "/api/v1/certificates/1/consumers/a%3Bb", "/api/v1/connections",
                "/q/health;x", null }) {
            assertThat(PathParameterRefusal.refusal(path)).as(path).isNull();
        }
    }
}
