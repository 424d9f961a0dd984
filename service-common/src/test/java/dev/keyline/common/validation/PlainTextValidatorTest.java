package dev.keyline.common.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a stored description may hold: what PostgreSQL stores as sent, and shows without garbling. */
class PlainTextValidatorTest {

    private final PlainTextValidator validator = new PlainTextValidator();

    private boolean valid(String text) {
        return validator.isValid(text, null);
    }

    @Test
    void textTabsLineBreaksAndCharactersBeyondTheBmpAreFine() {
        assertThat(valid(null)).isTrue();
        assertThat(valid("")).isTrue();
        assertThat(valid("Loads orders\tnightly\r\nowner: data-eng")).isTrue();
        assertThat(valid("Bestellungen – ウェアハウス – طلبات – \uD83D\uDE80")).isTrue();
    }

    @Test
    void unpairedSurrogatesAreRefused() {
        // PostgreSQL stored these as '?' while the answer echoed them.
        assertThat(valid("a\uD800b")).isFalse();
        assertThat(valid("a\uDC00b")).isFalse();
        assertThat(valid("ends with \uD83D")).isFalse();
        assertThat(valid("\uDE80\uD83D")).isFalse();
    }

    @Test
    void controlCharactersAreRefusedC1AndDelToo() {
        assertThat(valid("a\u0000b")).isFalse();
        assertThat(valid("a\u001bb")).isFalse();
        assertThat(valid("a\u007fb")).isFalse();
        assertThat(valid("a\u0085b")).isFalse();
        assertThat(valid("a\u009fb")).isFalse();
        assertThat(valid("a\u00a0b")).isTrue();
    }

    @Test
    void bidiEmbeddingsOverridesAndIsolatesAreRefusedTheMarksAndJoinersAreNot() {
        for (char c : new char[] { '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068',
                '\u2069' }) {
            assertThat(valid("owner: data" + c + "-eng")).as("U+%04X", (int) c).isFalse();
        }
        // Right-to-left marks, joiners in Persian and emoji sequences: text people write.
        assertThat(valid("\u05E9\u05DC\u05D5\u05DD \u200F(v2)")).isTrue();
        assertThat(valid("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")).isTrue();
        assertThat(valid("\uD83D\uDC69\u200D\uD83D\uDCBB")).isTrue();
    }
}
