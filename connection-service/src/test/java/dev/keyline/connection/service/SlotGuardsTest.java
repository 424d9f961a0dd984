package dev.keyline.connection.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.persistence.ConnectionEntity;

/** The guard every slot change passes: the key leaving a slot is nobody's stored key (#12 item 2, #13 item 5). */
class SlotGuardsTest {

    static ConnectionEntity connection(String name, String fingerprint) {
        ConnectionEntity e = new ConnectionEntity();
        e.id = UUID.randomUUID();
        e.name = name;
        e.user = "SVC_A";
        e.keyFingerprint = fingerprint;
        return e;
    }

    final ConnectionEntity self = connection("self", "SHA256:new");
    final ConnectionEntity holder = connection("partner (prod)", "SHA256:old");
    final ConnectionEntity moved = connection("moved", "SHA256:new");

    @Test
    void anEmptySlotOrAKeyNobodyHoldsMayGo() {
        assertThatCode(() -> KeySlotService.requireNotHeld(self, List.of(self, holder), null, 1, "unsetting"))
                .doesNotThrowAnyException();
        assertThatCode(() -> KeySlotService.requireNotHeld(self, List.of(self, moved), "SHA256:old", 1, "unsetting"))
                .doesNotThrowAnyException();
    }

    @Test
    void theConnectionsOwnKeyStaysWithSlotHoldsStoredKey() {
        assertThatThrownBy(() -> KeySlotService.requireNotHeld(self, List.of(self), "SHA256:new", 2, "unsetting"))
                .isInstanceOf(ProblemException.class).extracting(e -> ((ProblemException) e).slug())
                .isEqualTo("slot-holds-stored-key");
    }

    @Test
    void anotherHoldersKeyStaysWithKeyInUseNamingIt() {
        assertThatThrownBy(() -> KeySlotService.requireNotHeld(self, List.of(self, holder, moved), "SHA256:old", 1,
                "replacing"))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> {
                    ProblemException p = (ProblemException) e;
                    org.assertj.core.api.Assertions.assertThat(p.status()).isEqualTo(409);
                    org.assertj.core.api.Assertions.assertThat(p.slug()).isEqualTo("key-in-use");
                    org.assertj.core.api.Assertions.assertThat(p.getMessage())
                            .contains("partner (prod)").contains(holder.id.toString()).doesNotContain(moved.id.toString());
                });
    }
}
