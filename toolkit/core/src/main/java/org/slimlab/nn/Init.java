package org.slimlab.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default initialisation, so results compare with PyTorch runs of the same model: conv and linear
 * weights kaiming-uniform with a = sqrt(5), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)), biases the same bound.
 * Draws come from ND4J's global generator; model builders seed it first, so a seed fixes the weights.
 */
public final class Init {

    private Init() {}

    /** Seeds the generator the next draws come from. */
    public static void seed(long seed) {
        Nd4j.getRandom().setSeed(seed);
    }

    /** U(-bound, bound) of the given shape, float32. */
    public static INDArray uniform(double bound, long... shape) {
        return Nd4j.rand(DataType.FLOAT, shape).muli(2 * bound).subi(bound);
    }

    /** PyTorch default for a weight with this fan-in. */
    public static INDArray torchDefault(long fanIn, long... shape) {
        return uniform(1.0 / Math.sqrt(fanIn), shape);
    }
}
