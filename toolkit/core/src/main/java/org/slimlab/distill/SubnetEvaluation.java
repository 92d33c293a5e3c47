package org.slimlab.distill;

import org.slimlab.data.ImageSet;
import org.slimlab.nn.Model;
import org.slimlab.train.Evaluation;
import org.slimlab.train.Recalibration;
import org.slimlab.ui.LiveView;
import org.slimlab.ui.LiveViews;
import org.slimlab.ui.Progress;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates weight-sharing subnets the way METHODS.md's protocol asks: for each subnet the BN running statistics
 * are re-estimated on the same training images (no labels) and its top-1 accuracy is measured; subnets never see
 * each other's calibration and the model itself is left unchanged.
 * <pre>{@code
 * var all = SubnetEvaluation.of(net, data.train(), 512).prefixes(data.test(), "subnets");   // 27 for ResNet-20
 * }</pre>
 */
public final class SubnetEvaluation {

    /** One evaluated subnet: its stage depths (prefix subnets), blocks run, MACs and accuracy. */
    public record Entry(String name, int depth, long macs, double accuracy) {}

    private final Model model;
    private final ImageSet calibration;
    private final int images;

    private SubnetEvaluation(Model model, ImageSet calibration, int images) {
        this.model = model;
        this.calibration = calibration;
        this.images = images;
    }

    /** Recalibrates on the first {@code images} images of {@code calibration}. */
    public static SubnetEvaluation of(Model model, ImageSet calibration, int images) {
        return new SubnetEvaluation(model, calibration, images);
    }

    /**
     * Every prefix subnet of {@code space} (the full network last), named by its stage depths, e.g. "1-2-3";
     * progress (subnets done, last accuracy, ETA) goes to a live view titled {@code title}.
     */
    public List<Entry> prefixes(ImageSet test, String title) {
        return prefixes(DepthSubnets.of(model).allPrefixDepths(), test, title);
    }

    /** The prefix subnets with the given stage depths, in that order. */
    public List<Entry> prefixes(List<int[]> all, ImageSet test, String title) {
        List<Entry> out = new ArrayList<>();
        long t0 = System.nanoTime();
        try (LiveView view = LiveViews.open(title)) {
            for (int[] d : all) {
                // on a copy: its subnet graphs (each holding its last batch's arrays) go when the copy does
                Model copy = model.copy();
                DepthSubnets copied = DepthSubnets.of(copy);
                Subnet s = copied.prefix(d);
                Recalibration.bn(copy, calibration, images, s.masks(), s.key(), s.keep());
                String name = java.util.Arrays.stream(d).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining("-"));
                Entry e = new Entry(name, copied.depth(s), s.macs(copy), Evaluation.accuracy(s.evalGraph(copy), test));
                out.add(e);
                double perSubnet = (System.nanoTime() - t0) / 1e9 / out.size();
                view.update(new Progress(title, out.size(), all.size(), String.format("subnet %s acc %.3f", name, e.accuracy()),
                        Duration.ofMillis((long) (perSubnet * (all.size() - out.size()) * 1000))));
            }
        }
        return out;
    }

    /** Entries as a table (subnet, blocks, MACs, accuracy), e.g. to show in a notebook. */
    public static Table table(String name, List<Entry> entries) {
        StringColumn n = StringColumn.create("subnet");
        IntColumn d = IntColumn.create("blocks");
        LongColumn m = LongColumn.create("macs");
        DoubleColumn a = DoubleColumn.create("accuracy");
        for (Entry e : entries) { n.append(e.name()); d.append(e.depth()); m.append(e.macs()); a.append(e.accuracy()); }
        return Table.create(name, n, d, m, a);
    }
}
