package org.slimlab.prune;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Module;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Channel importance criteria and rankings. */
public final class Importance {

    private Importance() {}

    /**
     * L1 norm of each output filter, averaged over the group's producers (Li et al. 2017, "Pruning Filters for
     * Efficient ConvNets"); shape {@code [channels]}.
     */
    public static INDArray l1(ChannelGroup g) {
        INDArray sum = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, g.channels());
        for (Module p : g.producers()) {
            INDArray w = p instanceof Conv2d c ? c.weight().value() : ((Linear) p).weight().value();
            INDArray a = Transforms.abs(w, true);
            INDArray per = p instanceof Conv2d ? a.sum(0, 1, 2) : a.sum(0);
            sum.addi(per.castTo(sum.dataType()));
        }
        return sum.divi(g.producers().size());
    }

    /** Indices of the {@code k} largest scores, sorted ascending by index. */
    public static int[] topK(INDArray scores, int k) {
        double[] s = scores.toDoubleVector();
        return IntStream.range(0, s.length).boxed().sorted(Comparator.comparingDouble(i -> -s[i]))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Channel indices sorted by decreasing score (largest first). */
    public static int[] order(INDArray scores) {
        double[] s = scores.toDoubleVector();
        return IntStream.range(0, s.length).boxed().sorted(Comparator.comparingDouble(i -> -s[i])).mapToInt(Integer::intValue).toArray();
    }

    /** k random channels (seeded), sorted. */
    public static int[] random(int channels, int k, long seed) {
        int[] p = org.slimlab.data.ImageSet.permutation(channels, seed);
        int[] r = Arrays.copyOf(p, k);
        Arrays.sort(r);
        return r;
    }
}
