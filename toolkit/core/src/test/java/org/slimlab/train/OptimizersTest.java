package org.slimlab.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.nn.Param;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Optimizers follow PyTorch's update rules (values computed by hand), and schedules their formulas. */
class OptimizersTest {

    static Param param(double v, Param.Kind kind) {
        return new Param("w", kind, Nd4j.scalar(DataType.DOUBLE, v).reshape(1));
    }

    @Test
    void sgdMomentumAndWeightDecayMatchPyTorch() {
        Param p = param(1.0, Param.Kind.WEIGHT);
        Optimizer o = Optimizers.sgd(0.1, 0.9, false, 0.01);
        o.step(p, Nd4j.scalar(DataType.DOUBLE, 0.5).reshape(1), 0.1);   // g' = 0.5 + 0.01 = 0.51; buf = 0.51
        assertThat(p.value().getDouble(0)).isCloseTo(1 - 0.051, within(1e-12));
        o.step(p, Nd4j.scalar(DataType.DOUBLE, 0.5).reshape(1), 0.1);   // g' = 0.5 + 0.00949; buf = 0.9*0.51 + g'
        double g2 = 0.5 + 0.01 * 0.949, buf = 0.9 * 0.51 + g2;
        assertThat(p.value().getDouble(0)).isCloseTo(0.949 - 0.1 * buf, within(1e-12));
    }

    @Test
    void nesterovUsesTheLookAhead() {
        Param p = param(0.0, Param.Kind.WEIGHT);
        Optimizer o = Optimizers.sgd(1.0, 0.5, true, 0);
        o.step(p, Nd4j.scalar(DataType.DOUBLE, 1.0).reshape(1), 1.0);   // buf = 1; step = g + 0.5*buf = 1.5
        assertThat(p.value().getDouble(0)).isCloseTo(-1.5, within(1e-12));
    }

    @Test
    void weightDecaySkipsNormalisationParameters() {
        Param p = param(2.0, Param.Kind.NORM_SCALE);
        Optimizers.sgd(0.1, 0, false, 0.5).step(p, Nd4j.scalar(DataType.DOUBLE, 0.0).reshape(1), 0.1);
        assertThat(p.value().getDouble(0)).isEqualTo(2.0);
    }

    @Test
    void adamFirstStepMovesByTheLearningRate() {
        // bias-corrected Adam's first step is lr * g / (|g| + eps') = lr * sign(g)
        Param p = param(1.0, Param.Kind.WEIGHT);
        Optimizers.adam(0.01).step(p, Nd4j.scalar(DataType.DOUBLE, 3.0).reshape(1), 0.01);
        assertThat(p.value().getDouble(0)).isCloseTo(0.99, within(1e-6));
    }

    @Test
    void adamwDecaysDecoupled() {
        Param p = param(1.0, Param.Kind.WEIGHT);
        Optimizers.adamw(0.01, 0.1).step(p, Nd4j.scalar(DataType.DOUBLE, 3.0).reshape(1), 0.01);
        assertThat(p.value().getDouble(0)).isCloseTo(1.0 - 0.01 * 0.1 - 0.01, within(1e-6));
    }

    @Test
    void schedules() {
        assertThat(Schedule.cosine().factor(0, 100)).isEqualTo(1.0);
        assertThat(Schedule.cosine().factor(50, 100)).isCloseTo(0.5, within(1e-12));
        assertThat(Schedule.step(0.1, 0.5, 0.75).factor(80, 100)).isCloseTo(0.01, within(1e-12));
        Schedule w = Schedule.constant().warmup(0.1);
        assertThat(w.factor(0, 100)).isCloseTo(0.1, within(1e-12));
        assertThat(w.factor(9, 100)).isEqualTo(1.0);
        assertThat(w.factor(50, 100)).isEqualTo(1.0);
    }
}
