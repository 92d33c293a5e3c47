package org.slimlab.count;

import org.slimlab.nn.Model;
import org.slimlab.nn.Trace;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A model's layer table from its symbolic trace: one row per leaf layer that has parameters or MACs, then a
 * total row. MACs follow DESIGN.md: conv = out_h*out_w*C_out*C_in*k*k, linear = in*out; BN, activations,
 * pooling and adds are not counted; params count every trainable tensor.
 */
public final class Summary {

    private Summary() {}

    public static Table of(Model model) {
        StringColumn layer = StringColumn.create("layer"), type = StringColumn.create("type"),
                config = StringColumn.create("config"), output = StringColumn.create("output");
        LongColumn params = LongColumn.create("params"), macs = LongColumn.create("MACs");
        for (Trace.Node n : model.trace().nodes()) {
            if (n.params() == 0 && n.macs() == 0) continue;
            layer.append(n.module().path());
            type.append(n.module().type());
            config.append(n.module().describe());
            output.append(n.out().toString());
            params.append(n.params());
            macs.append(n.macs());
        }
        layer.append("total");
        type.append("");
        config.append("");
        output.append("");
        params.append(model.params());
        macs.append(model.macs());
        return Table.create(model.name() + " (" + human(model.macs()) + " MACs, " + human(model.params()) + " params)",
                layer, type, config, output, params, macs);
    }

    /** 1.82 G, 40.6 M, 12.3 K. */
    public static String human(long v) {
        if (v >= 1_000_000_000L) return String.format("%.2f G", v / 1e9);
        if (v >= 1_000_000L) return String.format("%.2f M", v / 1e6);
        if (v >= 1_000L) return String.format("%.1f K", v / 1e3);
        return Long.toString(v);
    }
}
