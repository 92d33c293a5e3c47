package org.slimlab.s2hpruner;

import org.knowm.xchart.XYChart;
import org.slimlab.nn.Model;
import org.slimlab.plot.Charts;
import org.slimlab.prune.PruningPlan;
import org.slimlab.train.Run;
import org.slimlab.ui.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What an S2HPruner (or DMP) run produced ("S2HPruner: Soft-to-Hard Distillation Bridges the Discretization Gap in Pruning" (Lin et al., NeurIPS 2024, arXiv 2410.07046)): the soft network's accuracy (masked, its own BN
 * statistics), the hard network (physically sliced, BN recalibrated, not fine-tuned) with its accuracy and the
 * MACs and params counted on it, the gap {@code soft - hard}, the widths per group and the per-epoch history of
 * the expected and hard MACs ratios. Renders as a one-row summary table.
 */
public final class S2HResult implements Displayable {

    private final String arm;
    private final double target, softAccuracy, hardAccuracy, seconds;
    private final Model dense, soft, hard;
    private final S2HMasks masks;
    private final PruningPlan plan;
    private final Run run;
    private final Table history, widths;

    S2HResult(String arm, double target, double softAccuracy, double hardAccuracy, Model dense, Model soft, Model hard,
              S2HMasks masks, PruningPlan plan, Run run, Table history, double seconds) {
        this.arm = arm;
        this.target = target;
        this.softAccuracy = softAccuracy;
        this.hardAccuracy = hardAccuracy;
        this.dense = dense;
        this.soft = soft;
        this.hard = hard;
        this.masks = masks;
        this.plan = plan;
        this.run = run;
        this.history = history;
        this.widths = masks.widths();
        this.seconds = seconds;
    }

    public String arm() { return arm; }
    public double target() { return target; }
    /** Test accuracy of the soft network (weights times soft masks, eval mode). */
    public double softAccuracy() { return softAccuracy; }
    /** Test accuracy of the extracted hard network (sliced, BN recalibrated, no fine-tuning). */
    public double hardAccuracy() { return hardAccuracy; }
    /** soft - hard accuracy. */
    public double gap() { return softAccuracy - hardAccuracy; }
    /** The physically pruned network that is evaluated and counted. */
    public Model model() { return hard; }
    /** The trained full-size network the soft masks apply to. */
    public Model softModel() { return soft; }
    public S2HMasks masks() { return masks; }
    public PruningPlan plan() { return plan; }
    /** The training run (its config and hash; its test accuracy is the unmasked network's). */
    public Run run() { return run; }
    /** Achieved MACs ratio, counted on the sliced network. */
    public double macsRatio() { return hard.macs() / (double) dense.macs(); }
    public double paramsRatio() { return hard.params() / (double) dense.params(); }
    public double seconds() { return seconds; }
    /** Per epoch: loss, soft train accuracy, expected (soft) and hard MACs ratios. */
    public Table history() { return history; }
    /** Per group: channels, chunk, expected width, hard width, full-width probability (at the end). */
    public Table widths() { return widths; }

    /** One row: arm, target, soft acc, hard acc, gap, MACs ratio, MACs, params. */
    public Table table() {
        return Table.create("S2HPruner: " + arm, StringColumn.create("arm", arm),
                DoubleColumn.create("target", target), DoubleColumn.create("soft_acc", softAccuracy),
                DoubleColumn.create("hard_acc", hardAccuracy), DoubleColumn.create("gap", gap()),
                DoubleColumn.create("macs_ratio", macsRatio()), LongColumn.create("macs", hard.macs()),
                LongColumn.create("params", hard.params()));
    }

    /** Expected and hard MACs ratios per epoch, with the target. */
    public XYChart plot() {
        XYChart c = Charts.xy(arm + ": MACs ratio during training", "epoch", "MACs / dense MACs");
        var epochs = history.intColumn("epoch").asList();
        Charts.line(c, "soft (expected widths)", epochs, history.doubleColumn("expected_macs_ratio").asList());
        Charts.line(c, "hard (rounded widths)", epochs, history.doubleColumn("hard_macs_ratio").asList());
        Charts.line(c, "target", epochs, epochs.stream().map(e -> target).toList());
        return c;
    }

    @Override
    public Object displayValue() { return table(); }

    @Override
    public String toString() {
        return String.format("%s @%.2f: soft %.4f, hard %.4f (gap %+.4f), MACs ratio %.4f (%,d MACs), %.0f s",
                arm, target, softAccuracy, hardAccuracy, gap(), macsRatio(), hard.macs(), seconds);
    }
}
