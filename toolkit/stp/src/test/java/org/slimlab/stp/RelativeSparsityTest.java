package org.slimlab.stp;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The kept/dropped magnitude measurement on weights set by hand. */
class RelativeSparsityTest {

    @Test
    void keptAndDroppedMeansAreOverTheFiltersOfTheL1Plan() {
        // vgg 1 -> 4 -> 4 channels, two groups of 4 channels (the last conv feeds the classifier: prunable too)
        Model net = Models.vgg(new int[]{4, 4}, 1, 8, 3, 1);
        var all = NDArrayIndex.all();
        for (Conv2d c : net.modules(Conv2d.class))
            for (int o = 0; o < 4; o++)
                c.weight().value().get(all, all, all, NDArrayIndex.point(o)).assign(o < 2 ? 2.0 : -0.5);
        RelativeSparsity.Measure m = RelativeSparsity.measure(net, 0.5);
        assertThat(m.kept()).isCloseTo(2.0, within(1e-6));
        assertThat(m.dropped()).isCloseTo(0.5, within(1e-6));
        assertThat(m.ratio()).isCloseTo(4.0, within(1e-6));
        RelativeSparsity rs = new RelativeSparsity();
        rs.record("A", 0.5, 0, net, 0.5);
        rs.record("A", 0.5, 1, net, 0.5);
        assertThat(rs.table().rowCount()).isEqualTo(2);
        assertThat(rs.summary().doubleColumn("ratio_end").get(0)).isCloseTo(4.0, within(1e-6));
        assertThat(rs.plot().getSeriesMap()).containsKey("A@50%");
    }
}
