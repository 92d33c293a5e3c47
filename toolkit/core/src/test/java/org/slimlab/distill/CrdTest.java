package org.slimlab.distill;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graph;
import org.slimlab.graph.GradientCheck;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Init;
import org.slimlab.nn.Model;
import org.slimlab.nn.Sequential;
import org.slimlab.nn.Tanh;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** CRD's distance and angle terms on a hand-computed 3-point example, the slicing, and a float64 gradient check. */
class CrdTest {

    /** Teacher points (0,0), (3,0), (0,4): a 3-4-5 right triangle. */
    static INDArray triangle() { return Nd4j.createFromArray(new double[]{0, 0, 3, 0, 0, 4}).reshape(1, 3, 2); }

    /** Student points (0,0), (1,0), (0,1). */
    static INDArray isosceles() { return Nd4j.createFromArray(new double[]{0, 0, 1, 0, 0, 1}).reshape(1, 3, 2); }

    @Test
    void distanceTermMatchesTheHandComputedTriangle() {
        SameDiff sd = SameDiff.create();
        INDArray d = Crd.distances(sd, sd.constant(triangle()), 3, 2).eval();
        // distances 3, 4, 5; mu = mean non-zero distance = 4
        double[][] expected = {{0, 0.75, 1.0}, {0.75, 0, 1.25}, {1.0, 1.25, 0}};
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++)
            assertThat(d.getDouble(0, i, j)).as("psi_D(%d,%d)", i, j).isCloseTo(expected[i][j], offset(1e-9));
    }

    @Test
    void angleTermMatchesTheHandComputedTriangle() {
        SameDiff sd = SameDiff.create();
        INDArray a = Crd.angles(sd, sd.constant(triangle()), 3, 2).eval();
        assertThat(a.shape()).containsExactly(1, 3, 3, 3);
        // at vertex 0: (3,0) vs (0,4) -> 0; vertex 1: (-3,0) vs (-3,4) -> 9/15; vertex 2: (0,-4) vs (3,-4) -> 16/20
        assertThat(a.getDouble(0, 0, 1, 2)).isCloseTo(0.0, offset(1e-9));
        assertThat(a.getDouble(0, 1, 0, 2)).isCloseTo(0.6, offset(1e-9));
        assertThat(a.getDouble(0, 1, 2, 0)).isCloseTo(0.6, offset(1e-9));
        assertThat(a.getDouble(0, 2, 0, 1)).isCloseTo(0.8, offset(1e-9));
        assertThat(a.getDouble(0, 0, 1, 1)).isCloseTo(1.0, offset(1e-9));   // same edge twice: cos 0 = 1
        assertThat(a.getDouble(0, 2, 2, 1)).isEqualTo(0.0);                   // j == i: masked
        assertThat(a.getDouble(0, 1, 0, 1)).isEqualTo(0.0);                   // k == i: masked
    }

    @Test
    void relationalLossMatchesTheHandComputedValue() {
        SameDiff sd = SameDiff.create();
        double loss = Crd.of(1).relational(sd, sd.constant(isosceles()), sd.constant(triangle()), 3, 2).eval().getDouble(0);
        // student distances 1, 1, sqrt2 with mu = (2 + sqrt2)/3; teacher psi_D as above
        double mu = (2 + Math.sqrt(2)) / 3;
        double[] ds = {1 / mu, 1 / mu, Math.sqrt(2) / mu};   // pairs (0,1), (0,2), (1,2)
        double[] dt = {0.75, 1.0, 1.25};
        double dist = 0;
        for (int p = 0; p < 3; p++) dist += 2 * huber(ds[p] - dt[p]);   // each pair twice, diagonal 0 = 0
        dist /= 9;
        // angles: student vertex 0: 0, vertex 1: 1/sqrt2, vertex 2: 1/sqrt2; teacher 0, 0.6, 0.8. Each vertex's
        // angle appears twice (j,k and k,j); the (i,j,j) entries are 1 for both.
        double r = 1 / Math.sqrt(2);
        double angle = (2 * huber(0 - 0) + 2 * huber(r - 0.6) + 2 * huber(r - 0.8)) / 27;
        assertThat(loss).isCloseTo(dist + 2 * angle, offset(1e-9));
        // relations are scale-invariant: a scaled copy of the teacher has zero loss
        double same = Crd.of(1).relational(sd, sd.constant(triangle().mul(2.5)), sd.constant(triangle()), 3, 2).eval().getDouble(0);
        assertThat(same).isCloseTo(0.0, offset(1e-9));
    }

    static double[] row(INDArray a, int i) {
        return a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).toDoubleVector();
    }

    static double huber(double x) { return Math.abs(x) < 1 ? 0.5 * x * x : Math.abs(x) - 0.5; }

    @Test
    void rowsColumnsAndPatchesSliceTheImage() {
        SameDiff sd = SameDiff.create();
        INDArray img = Nd4j.arange(32).castTo(DataType.DOUBLE).reshape(1, 2, 4, 4);   // c=2, h=w=4
        SDVariable x = sd.constant(img);
        INDArray rows = Crd.rows(x, 2, 4, 4).eval(), cols = Crd.columns(x, 2, 4, 4).eval(), patches = Crd.patches(x, 2, 4, 4, 2).eval();
        assertThat(rows.shape()).containsExactly(1, 4, 8);
        assertThat(row(rows, 1)).containsExactly(4, 5, 6, 7, 20, 21, 22, 23);
        assertThat(row(cols, 2)).containsExactly(2, 6, 10, 14, 18, 22, 26, 30);
        assertThat(patches.shape()).containsExactly(1, 4, 8);
        assertThat(row(patches, 1)).containsExactly(2, 3, 6, 7, 18, 19, 22, 23);
    }

    @Test
    void crdLossPassesTheFloat64GradientCheck() {
        Init.seed(4);
        Model m = new Model("s", new Sequential(new Conv2d(1, 2, 3, 1, 1, true), new Tanh()), 1, 4, 4).cast(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(9);
        INDArray teacher = Nd4j.randn(DataType.DOUBLE, 2, 2, 4, 4);
        Crd crd = Crd.of(2);
        Objective obj = new Objective() {
            public SDVariable loss(Graph g, SDVariable out, SDVariable labels) {
                return crd.loss(g.sd(), out, g.extraInput("teacher", 2, 4, 4), 2, 4, 4);
            }
            public Map<String, INDArray> feed(INDArray x, INDArray labels) { return Map.of("teacher", teacher); }
        };
        Compiled g = Graphs.train(m, obj);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 1, 4, 4);
        var reports = GradientCheck.check(g, x, Nd4j.zeros(DataType.DOUBLE, 2, 32), m.trainableParameters(), 12, 1e-6, 3);
        assertThat(reports).hasSize(2);
        for (var r : reports) assertThat(r.maxRelError()).as(r.variable()).isLessThan(1e-5);
        assertThat(g.run(x, Nd4j.zeros(DataType.DOUBLE, 2, 32), m.trainableParameters(), java.util.List.of()).loss()).isPositive();
    }
}
