package org.slimlab.train;

import org.knowm.xchart.XYChart;
import org.slimlab.nn.Model;
import org.slimlab.plot.Charts;
import org.slimlab.ui.Displayable;
import tech.tablesaw.api.Table;

import java.util.Map;

/**
 * The handle a finished training returns: the trained model, the per-epoch history table, the recorded config
 * and its hash, the final test accuracy and the wall time.
 */
public final class Run implements Displayable {

    private final Model model;
    private final Table history;
    private final Map<String, Object> config;
    private final String configHash;
    private final double testAccuracy, seconds;

    Run(Model model, Table history, Map<String, Object> config, String configHash, double testAccuracy, double seconds) {
        this.model = model;
        this.history = history;
        this.config = config;
        this.configHash = configHash;
        this.testAccuracy = testAccuracy;
        this.seconds = seconds;
    }

    public Model model() { return model; }

    /** epoch, train_loss, train_acc, test_acc, lr, seconds. */
    public Table history() { return history; }

    public Map<String, Object> config() { return config; }

    /** The recorded config as JSON (its SHA-256 gives {@link #configHash()}). */
    public String configJson() { return Training.json(config); }

    /** First 12 hex digits of the SHA-256 of the config JSON. */
    public String configHash() { return configHash; }

    /** Top-1 test accuracy after the last epoch. */
    public double testAccuracy() { return testAccuracy; }

    public double seconds() { return seconds; }

    /** Train and test accuracy per epoch. */
    public XYChart plot() { return Charts.history(history, model.name()); }

    @Override
    public Object displayValue() { return history; }

    @Override
    public String toString() {
        return String.format("%s: test accuracy %.4f after %d epochs (%.1f s, config %s)", model.name(), testAccuracy,
                history.rowCount(), seconds, configHash);
    }
}
