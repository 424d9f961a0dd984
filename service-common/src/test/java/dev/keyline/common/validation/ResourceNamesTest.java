package dev.keyline.common.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The one name rule of certificates and connections (issue #12 item 6). */
class ResourceNamesTest {

    @ParameterizedTest
    @ValueSource(strings = { "Partner (prod)", "Zahlungen – EU", "orders", "Küche & Bad", "東京 本番", "Заказы-2",
            "مدفوعات", "हिन्दी", "a", "v1.2_beta:eu-west", "R&D / Forschung", "O'Brien's feed", "team #3 @ home",
            "Straße [alt]", "x+y, z — w" })
    void namesPeopleWriteAreAccepted(String name) {
        assertThat(ResourceNames.problem(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "<script>", "a>b", "tab\tname", "new\nline", "nul\u0000", "rtl\u202Eevil", "zero\u200Bwidth",
            "say \"hi\"", "back\\slash", "semi;colon", "pipe|x", "$HOME", "emoji\uD83D\uDE00", "-dash", "(paren first",
            "two  spaces", "", "   ", "{curly}", "`tick`", "percent%" })
    void controlMarkupAndShellCharactersAreRefused(String name) {
        assertThat(ResourceNames.problem(name)).isNotNull();
    }

    @Test
    void lengthIsBoundedInCodePointsAfterTrimming() {
        assertThat(ResourceNames.problem("a".repeat(ResourceName.MAX_LENGTH))).isNull();
        assertThat(ResourceNames.problem("a".repeat(ResourceName.MAX_LENGTH + 1))).startsWith("size");
        assertThat(ResourceNames.problem("  " + "a".repeat(ResourceName.MAX_LENGTH) + "  ")).isNull();
        // A supplementary-plane letter (𝒜) counts once.
        assertThat(ResourceNames.problem("\uD835\uDC9C".repeat(ResourceName.MAX_LENGTH))).isNull();
        assertThat(ResourceNames.problem("a".repeat(64 * 1024))).startsWith("size");
    }

    @Test
    void namesAreTrimmedAndComposed() {
        assertThat(ResourceNames.normalize("  Partner (prod)\t")).isEqualTo("Partner (prod)");
        // e + combining acute is stored as the precomposed é.
        assertThat(ResourceNames.normalize("Cafe\u0301")).isEqualTo("Caf\u00e9");
        assertThat(ResourceNames.problem("Cafe\u0301")).isNull();
    }

    @Test
    void uniquenessIgnoresCaseAndComposition() {
        assertThat(ResourceNames.key("Partner (prod)")).isEqualTo(ResourceNames.key("PARTNER (PROD)"))
                .isEqualTo(ResourceNames.key(" partner (prod) "));
        assertThat(ResourceNames.key("Straße")).isEqualTo(ResourceNames.key("STRASSE"));
        assertThat(ResourceNames.key("Café")).isEqualTo(ResourceNames.key("CAFE\u0301"));
        assertThat(ResourceNames.key("Zahlungen – EU")).isNotEqualTo(ResourceNames.key("Zahlungen - EU"));
    }

    /** A filter is a literal part of the name: LIKE's wildcards and the escape character are escaped. */
    @Test
    void aFilterIsMatchedLiterallyInAnyCase() {
        assertThat(ResourceNames.containsPattern("Partner")).isEqualTo("%partner%");
        assertThat(ResourceNames.containsPattern("50%_a\\b")).isEqualTo("%50\\%\\_a\\\\b%");
        assertThat(ResourceNames.containsPattern(null)).isNull();
        assertThat(ResourceNames.containsPattern("  ")).isNull();
    }
}
