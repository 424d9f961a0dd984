package dev.keyline.rotation.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunRepository.Claim;

/**
 * The claim with a per-owner share ({@code worker.concurrency-per-owner}) on a real PostgreSQL: an
 * owner's runs beyond its share are skipped (not leased) and another owner's later runs are claimed
 * in the same call; the runs a replica already executes count; each replica has its own share.
 */
class OwnerShareClaimTest {

    @RegisterExtension
    static final RunDatabase db = new RunDatabase();

    JdbcRunStore store;

    @BeforeEach
    void clean() throws Exception {
        store = db.store();
        db.update("delete from rotation_run");
    }

    private RotationRun due(String owner, int secondsAgo) {
        RotationRun r = RotationRun.create(UUID.randomUUID(), "acme", "share_" + UUID.randomUUID(),
                Instant.now().minusSeconds(secondsAgo));
        r.owner = owner;
        store.insert(r);
        return r;
    }

    private static List<String> owners(Claim claim) {
        return claim.runs().stream().map(r -> r.owner).toList();
    }

    @Test
    void anOwnerAtItsShareIsSkippedAndTheNextOwnerClaimedInTheSameCall() {
        RotationRun a1 = due("mallory", 60);
        RotationRun a2 = due("mallory", 50);
        due("mallory", 40);
        due("mallory", 30);
        RotationRun b = due("carol", 5);

        Claim claim = store.claimDue("replica-1", 4, 2, Map.of());

        assertThat(claim.runs()).extracting(r -> r.id).containsExactlyInAnyOrder(a1.id, a2.id, b.id);
        assertThat(claim.waitingForShare()).as("mallory's two runs beyond her share").isEqualTo(2);
        // The skipped runs were not leased: still due, claimable once she has a free worker.
        assertThat(store.find(a1.id).orElseThrow().leaseOwner).isEqualTo("replica-1");
        assertThat(store.claimDue("replica-1", 4, 2, Map.of("mallory", 2, "carol", 1)).runs())
                .as("mallory still holds her share").isEmpty();
        Claim next = store.claimDue("replica-1", 4, 2, Map.of("mallory", 1, "carol", 1));
        assertThat(owners(next)).containsExactly("mallory");
        assertThat(next.waitingForShare()).isEqualTo(1);
    }

    @Test
    void theClaimWithoutAShareTakesTheOldestWhoeverOwnsThem() {
        due("mallory", 60);
        due("mallory", 50);
        due("mallory", 40);
        due("mallory", 30);
        due("carol", 5);

        // What starved carol: the four oldest due runs are all mallory's.
        assertThat(owners(store.claimDue("replica-1", 4, 0, Map.of()))).containsOnly("mallory").hasSize(4);
    }

    @Test
    void eachReplicaHasItsOwnShare() {
        for (int i = 0; i < 5; i++) {
            due("mallory", 60 - i);
        }
        assertThat(owners(store.claimDue("replica-1", 4, 2, Map.of()))).containsExactly("mallory", "mallory");
        Claim other = db.store().claimDue("replica-2", 4, 2, Map.of());
        assertThat(owners(other)).containsExactly("mallory", "mallory");
        assertThat(other.waitingForShare()).isEqualTo(1);
    }

    @Test
    void runsWithoutAnOwnerShareOneShare() {
        due(null, 60);
        due(null, 50);
        due(null, 40);
        RotationRun b = due("carol", 5);
        Claim claim = store.claimDue("replica-1", 4, 2, Map.of());
        assertThat(claim.runs()).hasSize(3).extracting(r -> r.id).contains(b.id);
        assertThat(claim.waitingForShare()).isEqualTo(1);
    }

    @Test
    void noFreeWorkerClaimsNothing() {
        due("carol", 5);
        Claim claim = store.claimDue("replica-1", 0, 2, Map.of());
        assertThat(claim.runs()).isEmpty();
        assertThat(claim.waitingForShare()).isZero();
    }
}
