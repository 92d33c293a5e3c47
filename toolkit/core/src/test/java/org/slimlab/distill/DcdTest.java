package org.slimlab.distill;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graph;
import org.slimlab.graph.GradientCheck;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Objective;
import org.slimlab.nn.GanModels;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Param;
import org.slimlab.nn.Sequential;
import org.slimlab.nn.Tap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** DCD: frozen teacher connectors, phi_D = D's penultimate activation, gradient check of the loss. */
class DcdTest {

    static final int SIZE = 8;

    record Setup(Model teacher, Model student, Model d, Dcd dcd, Compiled graph, Map<String, INDArray> teacherFeed) {}

    /** A student graph whose loss is L_DCD, with the teacher's feature maps computed once and fed. */
    static Setup setup() {
        Model t = GanModels.resnetGenerator(1, 1, 2, 3, SIZE, 1).cast(DataType.DOUBLE);
        Model s = GanModels.resnetGenerator(1, 1, 1, 3, SIZE, 2).cast(DataType.DOUBLE);
        Model d = GanModels.patchDiscriminator(2, 2, SIZE, 3).cast(DataType.DOUBLE);
        Dcd dcd = Dcd.of(d, t, s, 4);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 1, SIZE, SIZE);
        // teacher features: the taps of the teacher's (forward-only) graph
        Compiled tg = Graphs.train(t, (g, out, labels) -> out.mean());
        List<String> names = t.modules(Tap.class).stream().map(tap -> tap.name(tg.graph())).toList();
        Map<String, INDArray> outs = tg.outputs(x, null, names.toArray(String[]::new));
        Map<String, INDArray> feed = new HashMap<>();
        for (int l = 0; l < names.size(); l++) feed.put(Dcd.teacherInput(l), outs.get(names.get(l)).dup());
        Objective obj = new Objective() {
            public SDVariable loss(Graph g, SDVariable out, SDVariable labels) { return dcd.loss(g, dcd.teacherInputs(g)); }
            public Map<String, INDArray> feed(INDArray xx, INDArray labels) { return feed; }
        };
        return new Setup(t, s, d, dcd, Graphs.train(s, obj), feed);
    }

    static INDArray input() {
        Nd4j.getRandom().setSeed(5);
        return Nd4j.randn(DataType.DOUBLE, 2, 1, SIZE, SIZE);
    }

    static INDArray labels() { return Nd4j.zeros(DataType.DOUBLE, 2, SIZE * SIZE); }

    @Test
    void teacherConnectorsAreFrozenAndTheDiscriminatorIsNotTrainedByTheLoss() {
        Setup su = setup();
        List<Param> teacherConn = su.dcd().teacherConnectors().stream().flatMap(m -> m.trainableParameters().stream()).toList();
        List<Param> wrt = new ArrayList<>(su.student().trainableParameters());
        wrt.addAll(su.dcd().trainableParams());
        wrt.addAll(teacherConn);
        Compiled.Result r = su.graph().run(input(), labels(), wrt, List.of());
        assertThat(r.loss()).isPositive();
        // the stop-gradient leaves the teacher's connectors without gradient ...
        for (Param p : teacherConn)
            assertThat(r.grads().get(p).amaxNumber().doubleValue()).as("gradient of frozen %s", p.name()).isEqualTo(0.0);
        // ... while the student's connectors and the student itself receive one
        assertThat(su.dcd().trainableParams()).isNotEmpty().doesNotContainAnyElementsOf(teacherConn)
                .doesNotContainAnyElementsOf(su.d().trainableParameters());
        assertThat(su.dcd().trainableParams().stream().mapToDouble(p -> r.grads().get(p).amaxNumber().doubleValue()).max().orElse(0)).isPositive();
        Param stem = su.student().trainableParameters().get(0);
        assertThat(r.grads().get(stem).amaxNumber().doubleValue()).isPositive();
    }

    @Test
    void phiIsTheDiscriminatorsPenultimateActivation() {
        Setup su = setup();
        Model d = su.d();
        Nd4j.getRandom().setSeed(8);
        INDArray dIn = Nd4j.randn(DataType.DOUBLE, 3, 2, SIZE, SIZE);
        // phi_D through Dcd.features, in a graph of D (sharing D's parameters) fed with D's input
        String[] phiName = new String[1];
        Compiled g = Graphs.train(d, (gr, out, labels) -> {
            SDVariable phi = su.dcd().features(gr, gr.sd().getVariable(Compiled.INPUT));
            phiName[0] = phi.name();
            return phi.mean();
        });
        INDArray phi = g.outputs(dIn, null, phiName[0]).get(phiName[0]);
        assertThat(phi.shape()).containsExactly(3, 8, SIZE / 4, SIZE / 4);   // 4 ndf channels at size/4
        // D's last layer applied to phi gives D's output: phi is exactly the input of D's head
        Module head = ((Sequential) d.root()).children().get(3).copy();
        INDArray fromPhi = new Model("head", new Sequential(head), 8, SIZE / 4, SIZE / 4).predict(phi);
        INDArray direct = d.predict(dIn);
        assertThat(fromPhi.sub(direct).amaxNumber().doubleValue()).isLessThan(1e-10);
    }

    @Test
    void dcdLossPassesTheFloat64GradientCheck() {
        Setup su = setup();
        // the first and last connectors (conv, BN) and student layers before the first and the last tap
        List<Param> conn = su.dcd().trainableParams();
        List<Param> wrt = new ArrayList<>(conn.subList(0, 2));
        wrt.add(conn.get(conn.size() - 3));
        wrt.add(su.student().trainableParameters().get(0));
        wrt.add(su.student().modules(org.slimlab.nn.Conv2d.class).get(5).weight());
        var reports = GradientCheck.check(su.graph(), input(), labels(), wrt, 2, 1e-6, 3);
        assertThat(reports).hasSize(wrt.size());
        for (var r : reports) assertThat(r.maxRelError()).as(r.variable()).isLessThan(1e-5);
    }
}
