package org.slimlab.gan;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The run's FID-per-epoch plot averages the seeds epoch by epoch, generator by generator. */
class MeanPerEpochTest {

    private static GanReproduction.SeedRun seed(double... teacher) {
        return new GanReproduction.SeedRun(List.of(), "h", "{}", Map.of(), List.of(1, 2),
                Map.of("teacher", List.of(teacher[0], teacher[1]), "student-l1", List.of(teacher[0] * 2, teacher[1] * 2)), 0.1);
    }

    @Test
    void averagesEachEpochOverSeeds() {
        Map<String, List<Double>> mean = GanReproduction.meanPerEpoch(List.of(seed(4, 2), seed(2, 1), seed(3, 6)));
        assertThat(mean.get("teacher").get(0)).isCloseTo(3.0, within(1e-12));
        assertThat(mean.get("teacher").get(1)).isCloseTo(3.0, within(1e-12));
        assertThat(mean.get("student-l1")).containsExactly(6.0, 6.0);
    }
}
