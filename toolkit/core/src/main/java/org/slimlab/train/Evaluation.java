package org.slimlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.Batch;
import org.slimlab.data.ImageSet;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.Model;

/** Top-1 accuracy in eval mode (running BN statistics). */
public final class Evaluation {

    private Evaluation() {}

    /** Top-1 accuracy of {@code model} on {@code set}. */
    public static double accuracy(Model model, ImageSet set) { return accuracy(Graphs.eval(model), set); }

    /** Top-1 accuracy of a compiled inference graph (e.g. a masked model or a subnet) on {@code set}. */
    public static double accuracy(Compiled graph, ImageSet set) {
        long correct = 0;
        for (Batch b : set.sequential(500)) correct += correct(graph.logits(b.x()), b.labels());
        return correct / (double) set.size();
    }

    /** How many rows of {@code logits} have their arg-max at the label. */
    public static long correct(INDArray logits, int[] labels) {
        INDArray pred = logits.argMax(1);
        long c = 0;
        for (int i = 0; i < labels.length; i++) if (pred.getInt(i) == labels[i]) c++;
        return c;
    }
}
