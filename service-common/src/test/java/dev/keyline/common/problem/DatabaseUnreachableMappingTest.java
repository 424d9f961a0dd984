package dev.keyline.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

/**
 * No PostgreSQL connection to be had (server stopped, its slots used up, the pool's wait over) is
 * 503 with Retry-After, however Hibernate or a store wrapped it; a statement that failed stays 500.
 */
class DatabaseUnreachableMappingTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void noConnectionIs503WithRetryAfter() {
        for (SQLException cause : new SQLException[] {
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001"),
                new SQLException("An I/O error occurred while sending to the backend", "08006"),
                new SQLException("FATAL: remaining connection slots are reserved", "53300"),
                new SQLException("FATAL: the database system is shutting down", "57P03"),
                new SQLException("Sorry, acquisition timeout!") }) {
            Response response = mappers.unexpected(
                    new PersistenceException("could not prepare statement", new IllegalStateException("read", cause)), null);
            assertThat(response.getStatus()).as(cause.getMessage()).isEqualTo(503);
            assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
            assertThat(((Problem) response.getEntity()).type().toString()).isEqualTo("urn:keyline:problem:database-unavailable");
        }
    }

    /** The log line names what failed; the wrappers' class names ("IllegalStateException") did not. */
    @Test
    void theReasonIsTheConnectionFailureNotItsWrapper() {
        Exception wrapped = new PersistenceException("could not prepare statement",
                new IllegalStateException("read", new SQLException("Connection to 127.0.0.1:5432\n refused", "08001")));
        assertThat(DatabaseUnreachable.reason(wrapped)).isEqualTo("08001 Connection to 127.0.0.1:5432 refused");
        assertThat(DatabaseUnreachable.reason(new SQLException("Sorry, acquisition timeout!")))
                .isEqualTo("Sorry, acquisition timeout!");
    }

    @Test
    void aFailedStatementStaysAnInternalError() {
        for (SQLException cause : new SQLException[] {
                new SQLException("syntax error", "42601"),
                new SQLException("deadlock detected", "40P01"),
                new SQLException("no state") }) {
            assertThat(mappers.unexpected(new PersistenceException("x", cause), null).getStatus()).isEqualTo(500);
        }
    }

    /** Any 503 problem says when to come back, also one thrown without a Retry-After of its own. */
    @Test
    void every503ProblemCarriesRetryAfter() {
        Response response = mappers.problem(new ProblemException(503,
                "certificate-service-unavailable", "certificate-service unavailable", "away"), null);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(mappers.problem(new ProblemException(409, "conflict", "Conflict", "x"), null)
                .getHeaderString("Retry-After")).isNull();
    }
}
