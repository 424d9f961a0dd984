package dev.keyline.common.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

/** A Vault failure's reason (readiness data, log lines) names the cause's message, not just its class. */
class KvStoreReasonTest {

    @Test
    void theMessageSaysWhatFailed() {
        assertThat(KvStore.reason(new ConnectException("Connection refused: /127.0.0.1:8200")))
                .isEqualTo("ConnectException: Connection refused: /127.0.0.1:8200");
    }

    @Test
    void withoutAMessageTheClassNameIsTheReason() {
        assertThat(KvStore.reason(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void theClientsOwnNullPointerIsNotPassedOnAsIfItWereVaults() {
        String reason = KvStore.reason(new NullPointerException(
                "Cannot invoke \"java.lang.Integer.intValue()\" because \"this.status\" is null"));
        assertThat(reason).isEqualTo("no usable answer (the Vault client failed on it: NullPointerException)");
    }

    @Test
    void aLongMessageIsCutOnOneLine() {
        String reason = KvStore.reason(new IllegalStateException("x\n".repeat(300)));
        assertThat(reason).doesNotContain("\n").hasSize("IllegalStateException: ".length() + 201).endsWith("…");
    }
}
