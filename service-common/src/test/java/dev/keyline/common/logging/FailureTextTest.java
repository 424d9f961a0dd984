package dev.keyline.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;

import org.junit.jupiter.api.Test;

class FailureTextTest {

    @Test
    void aFailureIsItsSimpleNameAndItsMessageOnOneLine() {
        assertThat(FailureText.of(new ConnectException("Connection refused:\n  localhost/127.0.0.1:8200")))
                .isEqualTo("ConnectException: Connection refused: localhost/127.0.0.1:8200");
        assertThat(FailureText.of(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(FailureText.of(new IllegalStateException(" \n "))).isEqualTo("IllegalStateException");
    }

    @Test
    void aLongMessageIsCut() {
        String text = FailureText.of(new IOException("x".repeat(5_000)));
        assertThat(text).isEqualTo("IOException: " + "x".repeat(200) + "…");
    }

    @Test
    void theRootCauseSaysWhatFailed() {
        Exception wrapped = new IllegalStateException("Creating runs failed",
                new UncheckedIOException(new ConnectException("Connection refused")));
        assertThat(FailureText.ofRootCause(wrapped)).isEqualTo("ConnectException: Connection refused");
        assertThat(FailureText.ofRootCause(new ConnectException("alone"))).isEqualTo("ConnectException: alone");
    }
}
