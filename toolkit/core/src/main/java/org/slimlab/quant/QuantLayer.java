package org.slimlab.quant;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.nn.Module;
import org.slimlab.nn.Param;

/**
 * A conv or linear layer whose weights and input activations are fake-quantised at {@link #bits()} bits with
 * learnable intervals ({@link FakeQuant}). Besides its weight (and bias) it owns four scalar bounds
 * ({@link Param.Kind#OTHER}: give them their own optimizer) and two buffers the size of the weight: a 0/1 freeze
 * mask and the levels frozen weights keep ({@link Param.Kind#BUFFER}: not trained, not counted). Its graph names
 * its input activation {@link #inputName()} and its effective weights {@link #weightName()}, so both can be read
 * as outputs of a compiled graph.
 */
public interface QuantLayer {

    /** Local names of the bounds: weight low/high, activation low/high. */
    String W_LO = "w_lo", W_HI = "w_hi", A_LO = "a_lo", A_HI = "a_hi";
    /** Local names of the freeze buffers. */
    String FROZEN = "frozen", FROZEN_LEVEL = "frozen_level";

    /** The layer as a module. */
    Module module();

    int bits();

    /** The latent (full-precision) weight. */
    Param weight();

    /** The bias, or null. */
    Param bias();

    Param weightLow();
    Param weightHigh();
    Param activationLow();
    Param activationHigh();

    /** 1 where a weight is frozen (its level is {@link #frozenLevel()}), 0 elsewhere. */
    Param frozen();

    /** The integer level each frozen weight keeps (meaningless where not frozen). */
    Param frozenLevel();

    /** Graph variable name of this layer's input activation (before quantisation). */
    default String inputName() { return prefix() + "quant_input"; }

    /** Graph variable name of this layer's effective (fake-quantised) weights. */
    default String weightName() { return prefix() + "quant_weight"; }

    private String prefix() { return module().path().isEmpty() ? "" : module().path() + "."; }

    /** Integer levels of the latent weights under the current weight bounds (a fresh array; frozen ones included). */
    default INDArray currentLevels() {
        return FakeQuant.levels(FakeQuant.normalised(weight().value(), weightLow().value().getDouble(0),
                weightHigh().value().getDouble(0)), bits());
    }

    /** Number of weights. */
    default long weightCount() { return weight().value().length(); }
}
