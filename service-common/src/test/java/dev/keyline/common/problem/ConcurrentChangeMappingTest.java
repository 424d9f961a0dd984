package dev.keyline.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.Response;

import org.hibernate.StaleObjectStateException;
import org.junit.jupiter.api.Test;

/**
 * A lost optimistic-lock race (two writers read the same version; Hibernate's versioned UPDATE of
 * the second matches no row) is the client's to retry: 409 problem+json, never a 500 — however
 * deeply the transaction manager wrapped it.
 */
class ConcurrentChangeMappingTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void optimisticLockExceptionIsAConflict() {
        assertConflict(mappers.unexpected(new OptimisticLockException("row was updated"), null));
    }

    @Test
    void hibernatesStaleObjectStateIsAConflict() {
        assertConflict(mappers.unexpected(new StaleObjectStateException("dev.keyline.Entity", 1L), null));
    }

    @Test
    void aWrappedOptimisticLockFailureIsAConflictToo() {
        RuntimeException commit = new RuntimeException("commit failed",
                new IllegalStateException("rolled back", new OptimisticLockException("row was updated")));
        assertConflict(mappers.unexpected(commit, null));
    }

    @Test
    void otherFailuresStayInternalErrors() {
        assertThat(mappers.unexpected(new IllegalStateException("boom"), null).getStatus()).isEqualTo(500);
    }

    private static void assertConflict(Response r) {
        assertThat(r.getStatus()).isEqualTo(409);
        assertThat(r.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        Problem p = (Problem) r.getEntity();
        assertThat(p.type()).isEqualTo(Problem.type("concurrent-change"));
        assertThat(p.detail()).doesNotContain("row was updated");
    }
}
