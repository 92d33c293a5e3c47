package org.slimlab.graph;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.nn.Flatten;
import org.slimlab.nn.Init;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Model;
import org.slimlab.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every session a compiled graph runs (forward, gradient, inference) has its array cache capped; the numbers do not change. */
class ArrayCacheCapTest {

    @Test
    void sessionsOfTrainingAndInferencePassesAreCappedWithoutChangingResults() {
        Init.seed(3);
        Model m = new Model("lin", new Sequential(new Flatten(), new Linear(12, 4)), 1, 3, 4);
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.FLOAT, 8, 1, 3, 4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 4);
        for (int i = 0; i < 8; i++) y.putScalar(i, i % 4, 1);

        Compiled train = Graphs.train(m, Losses.crossEntropy());
        double first = train.run(x, y, m.trainableParameters(), List.of()).loss();
        double again = train.run(x, y, m.trainableParameters(), List.of()).loss();
        Compiled eval = Graphs.eval(m);
        INDArray logits = eval.logits(x).dup();

        List<ArrayCacheMemoryMgr> caches = new ArrayList<>();
        for (SameDiff g : List.of(train.sd(), train.sd().getFunction("grad"), eval.sd()))
            for (InferenceSession s : g.getSessions().values())
                if (s.getMmgr() instanceof ArrayCacheMemoryMgr c) caches.add(c);
        assertThat(new ArrayCacheMemoryMgr().getMaxCacheBytes()).as("SameDiff's own limit under this JVM's maxbytes")
                .isGreaterThan(Compiled.ARRAY_CACHE_BYTES);
        assertThat(caches).as("forward, gradient and inference sessions").hasSizeGreaterThanOrEqualTo(3);
        for (ArrayCacheMemoryMgr c : caches) assertThat(c.getMaxCacheBytes()).isLessThanOrEqualTo(Compiled.ARRAY_CACHE_BYTES);
        assertThat(again).as("a capped cache reuses arrays, same loss").isEqualTo(first);
        assertThat(eval.logits(x)).isEqualTo(logits);
    }
}
