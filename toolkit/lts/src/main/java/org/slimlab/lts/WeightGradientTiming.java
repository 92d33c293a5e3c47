package org.slimlab.lts;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.nn.Model;
import org.slimlab.nn.Trace;
import org.slimlab.quant.QuantLayer;
import org.slimlab.quant.Quantization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures (does not estimate) the wall time the weight gradients of a quantised model take at a batch size, computed
 * three ways with the model's current freeze masks, each layer as the GEMM {@code dW = col(x)^T dY} with
 * {@code col(x)} {@code [P, K]} (P = batch x output positions, K = k*k*C_in taps) and {@code dY} {@code [P, C_out]}:
 * <ul>
 *   <li><b>full</b>: every weight's gradient (what a dense backward does);</li>
 *   <li><b>block skip</b>: the GEMM restricted to the taps and filters that still hold an unfrozen weight (rows and
 *       columns of fully frozen weights skipped: the dense kernel on a smaller problem); used for a layer only when
 *       it removes at least one row or column, otherwise the layer runs the full GEMM;</li>
 *   <li><b>element skip</b>: only the unfrozen weights' gradients, each a dot product over P (gathered rows, one
 *       multiply and one reduction); used for a layer only when at most half its weights are unfrozen, otherwise
 *       the layer runs the full GEMM.</li>
 * </ul>
 * The dispatch rules are fixed (not chosen by which time came out lower), so noise cannot manufacture a saving.
 * SameDiff's {@code conv2d_bp} computes input and weight gradients in one native op, so the skip cannot be done
 * inside the training graph in DL4J M2.1; this times the weight-gradient computation on its own, with real shapes
 * and masks, median of repeats. Values of the operands do not affect the time, so they are random.
 */
public final class WeightGradientTiming {

    /** Median seconds per layer for the three ways (summed over layers), and the unfrozen fraction. */
    public record Result(double fullSeconds, double blockSeconds, double elementSeconds, double unfrozenFraction) {
        /** Measured fraction of weight-gradient time saved by skipping fully frozen rows/columns. */
        public double blockSaving() { return fullSeconds <= 0 ? 0 : 1 - blockSeconds / fullSeconds; }
        /** Measured fraction saved by computing only the unfrozen weights' gradients. */
        public double elementSaving() { return fullSeconds <= 0 ? 0 : 1 - elementSeconds / fullSeconds; }
    }

    /** Values gathered per element-skip pass (4M floats: 16 MB per operand). */
    static final long CHUNK_VALUES = 4L << 20;

    private WeightGradientTiming() {}

    /** Times every quantised layer of {@code q} at {@code batch} images, {@code repeats} times (median). */
    public static Result measure(Model q, int batch, int repeats) {
        Trace trace = q.trace();
        double full = 0, block = 0, element = 0;
        long unfrozen = 0, all = 0;
        Nd4j.getRandom().setSeed(12345);
        for (QuantLayer l : Quantization.layers(q)) {
            Trace.Node n = trace.node(l.module());
            INDArray mask = l.frozen().value();
            long[] ws = mask.shape();
            int out = (int) ws[ws.length - 1], taps = (int) (mask.length() / out);
            long positions = n.out().numel() / out;
            int p = (int) Math.min(Integer.MAX_VALUE, batch * positions);
            INDArray colT = Nd4j.rand(DataType.FLOAT, taps, p), dYT = Nd4j.rand(DataType.FLOAT, out, p);
            double[] frozen = mask.castTo(DataType.DOUBLE).reshape(taps, out).data().asDouble();
            List<Integer> rows = new ArrayList<>(), cols = new ArrayList<>(), eRow = new ArrayList<>(), eCol = new ArrayList<>();
            boolean[] colLive = new boolean[out];
            for (int k = 0; k < taps; k++) {
                boolean live = false;
                for (int o = 0; o < out; o++)
                    if (frozen[k * out + o] == 0) { live = true; colLive[o] = true; eRow.add(k); eCol.add(o); }
                if (live) rows.add(k);
            }
            for (int o = 0; o < out; o++) if (colLive[o]) cols.add(o);
            unfrozen += eRow.size();
            all += (long) taps * out;
            int[] r = ints(rows), c = ints(cols), er = ints(eRow), ec = ints(eCol);
            double dense = median(repeats, () -> colT.mmul(dYT.transpose()).close());
            full += dense;
            block += r.length == 0 ? 0 : r.length == taps && c.length == out ? dense : median(repeats, () -> {
                INDArray a = Nd4j.pullRows(colT, 1, r), bb = Nd4j.pullRows(dYT, 1, c), g = a.mmul(bb.transpose());
                a.close(); bb.close(); g.close();
            });
            int chunk = (int) Math.max(1, CHUNK_VALUES / p);   // gathered rows per pass: bounded memory
            element += er.length == 0 ? 0 : er.length > (long) taps * out / 2 ? dense : median(repeats, () -> {
                for (int s = 0; s < er.length; s += chunk) {
                    int e = Math.min(er.length, s + chunk);
                    INDArray a = Nd4j.pullRows(colT, 1, Arrays.copyOfRange(er, s, e)), bb = Nd4j.pullRows(dYT, 1, Arrays.copyOfRange(ec, s, e));
                    INDArray g = a.muli(bb).sum(1);
                    a.close(); bb.close(); g.close();
                }
            });
            colT.close();
            dYT.close();
        }
        return new Result(full, block, element, all == 0 ? 0 : unfrozen / (double) all);
    }

    private static int[] ints(List<Integer> l) { return l.stream().mapToInt(Integer::intValue).toArray(); }

    private static double median(int repeats, Runnable r) {
        r.run();   // warm-up
        double[] t = new double[Math.max(1, repeats)];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
