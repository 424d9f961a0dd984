package dev.keyline.rotation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** The share of the workers one owner's runs may occupy ({@code worker.concurrency-per-owner}). */
class WorkerOwnerShareTest {

    @Test
    void unsetIsAllButOneWorker() {
        assertThat(RotationWorker.perOwner(4, OptionalInt.empty())).isEqualTo(3);
        assertThat(RotationWorker.perOwner(2, OptionalInt.empty())).isEqualTo(1);
        assertThat(RotationWorker.perOwner(10, OptionalInt.empty())).isEqualTo(9);
        // One worker: a share of 1 is the whole pool, i.e. no limit.
        assertThat(RotationWorker.perOwner(1, OptionalInt.empty())).isZero();
    }

    @Test
    void configuredIsTakenAsIsAndZeroOrTheWholePoolMeansNoLimit() {
        assertThat(RotationWorker.perOwner(4, OptionalInt.of(3))).isEqualTo(3);
        assertThat(RotationWorker.perOwner(4, OptionalInt.of(0))).isZero();
        assertThat(RotationWorker.perOwner(4, OptionalInt.of(4))).isZero();
        assertThat(RotationWorker.perOwner(4, OptionalInt.of(9))).isZero();
        assertThatThrownBy(() -> RotationWorker.perOwner(4, OptionalInt.of(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency-per-owner");
    }
}
