package org.slimlab.stp;

import org.slimlab.data.ImageData;
import org.slimlab.nn.Model;
import org.slimlab.train.Evaluation;
import org.slimlab.train.Recalibration;
import org.slimlab.train.Run;
import org.slimlab.ui.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link Stp#fit()} returns: the trained supernet run, the exploration log, and per target the architecture
 * found; {@link #pruned(double)} extracts it (physically sliced, blocks removed) and recalibrates BN, no fine-tuning.
 */
public final class StpResult implements Displayable {

    private final SupernetSpace space;
    private final ImageData data;
    private final Run run;
    private final Exploration exploration;
    private final int epochs;
    private final Map<Double, Model> pruned = new LinkedHashMap<>();

    StpResult(SupernetSpace space, ImageData data, Run run, Exploration exploration, int epochs) {
        this.space = space;
        this.data = data;
        this.run = run;
        this.exploration = exploration;
        this.epochs = epochs;
    }

    /** The supernet's training run (the full network's history). */
    public Run run() { return run; }

    /** The trained supernet (the full network). */
    public Model supernet() { return run.model(); }

    public SupernetSpace space() { return space; }

    /** Epochs used, including any spent beyond the budget to finish the exploration. */
    public int epochs() { return epochs; }

    /** The architecture found for {@code target}. */
    public Architecture architecture(double target) {
        Architecture a = exploration.found().get(target);
        if (a == null) throw new IllegalArgumentException("no architecture for target " + target + "; targets: " + exploration.found().keySet());
        return a;
    }

    /** The pruned network for {@code target}: extracted from the supernet, BN recalibrated on 512 training images. */
    public Model pruned(double target) {
        return pruned.computeIfAbsent(target, t -> {
            Model m = space.extract(architecture(t)).named(supernet().name() + String.format("-stp@%.0f%%", t * 100));
            return Recalibration.bn(m, data.train(), Recalibration.DEFAULT_IMAGES);
        });
    }

    /** The exploration's committed moves: round, iteration, move, KL, candidates, MACs ratio. */
    public Table exploration() { return exploration.table(); }

    /** Per target: architecture, MACs, params, MACs ratio, test accuracy of the pruned network (no fine-tuning). */
    public Table summary() {
        DoubleColumn target = DoubleColumn.create("target"), ratio = DoubleColumn.create("macs_ratio"), acc = DoubleColumn.create("accuracy");
        StringColumn arch = StringColumn.create("architecture");
        LongColumn macs = LongColumn.create("macs"), params = LongColumn.create("params");
        for (double t : exploration.found().keySet()) {
            if (t >= 1) continue;
            Model m = pruned(t);
            target.append(t); arch.append(architecture(t).toString()); macs.append(m.macs()); params.append(m.params());
            ratio.append(m.macs() / (double) supernet().macs()); acc.append(Evaluation.accuracy(m, data.test()));
        }
        return Table.create("STP pruned networks (no fine-tuning)", target, arch, macs, params, ratio, acc);
    }

    @Override
    public Object displayValue() { return summary(); }

    @Override
    public String toString() {
        return String.format("STP: supernet test accuracy %.4f, %d exploration rounds, targets %s", run.testAccuracy(),
                exploration.rounds().size(), exploration.found().keySet());
    }
}
