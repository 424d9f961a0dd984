package dev.keyline.console.rotations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunFilterTest {

    @Test
    void filtersArePassedOnForRotationServiceToJudge() {
        // Dropped before, the list then showed every run as if the filter had matched them all.
        assertThat(RunFilter.of("not-a-uuid", "BOGUS", null, null).apiQuery())
                .isEqualTo("?connectionId=not-a-uuid&state=BOGUS&page=0&size=20");
        assertThat(RunFilter.of(" 6f1c2a9e-0000-4000-8000-000000000001 ", "DONE", 2, 50).apiQuery())
                .isEqualTo("?connectionId=6f1c2a9e-0000-4000-8000-000000000001&state=DONE&page=2&size=50");
    }

    @Test
    void aHandEditedValueCannotAddParameters() {
        assertThat(RunFilter.of(null, "DONE&size=10000", null, null).apiQuery())
                .isEqualTo("?state=DONE%26size%3D10000&page=0&size=20");
    }

    @Test
    void blankFiltersAreNoFilters() {
        assertThat(RunFilter.of(" ", "", -1, 0).apiQuery()).isEqualTo("?page=0&size=20");
        assertThat(RunFilter.of(null, null, null, 201).pageUrl(1)).isEqualTo("/rotations?page=1&size=20");
    }
}
