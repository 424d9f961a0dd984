package dev.keyline.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormValuesTest {

    @Test
    void anEmptyFieldIsNoValue() {
        assertThat(FormValues.text(null)).isNull();
        assertThat(FormValues.text(" \t")).isNull();
        assertThat(FormValues.secret("")).isNull();
        assertThat(FormValues.secret("   ")).isNull();
    }

    @Test
    void textLosesItsSurroundingSpacesASecretNever() {
        assertThat(FormValues.text("  orders loader ")).isEqualTo("orders loader");
        // A passphrase that begins or ends with a space decrypts its key only as typed.
        assertThat(FormValues.secret(" horse battery ")).isEqualTo(" horse battery ");
    }
}
