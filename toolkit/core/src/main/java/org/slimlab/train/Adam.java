package org.slimlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.slimlab.nn.Param;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma & Ba 2015) through ND4J's {@link AdamUpdater}, one updater per parameter over a state view;
 * with {@code decoupled} it is AdamW (Loshchilov & Hutter 2019): {@code p -= lr wd p} apart from the moments
 * (ND4J M2.1 has no AdamW). Plain Adam adds L2 decay to the gradient.
 */
final class Adam implements Optimizer {

    private final double lr, beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private final org.nd4j.linalg.learning.config.Adam config;
    private final Map<String, AdamUpdater> updaters = new HashMap<>();
    private final Map<String, INDArray> states = new LinkedHashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.config = new org.nd4j.linalg.learning.config.Adam(lr, beta1, beta2, eps);
    }

    @Override
    public void step(Param p, INDArray grad, double rate) {
        INDArray w = p.value();
        boolean decay = weightDecay != 0 && p.kind() == Param.Kind.WEIGHT;
        if (decay && !decoupled) grad.addi(w.mul(weightDecay));
        AdamUpdater u = updaters.computeIfAbsent(p.name(), k -> {
            INDArray view = states.computeIfAbsent(k, kk -> Nd4j.zeros(w.dataType(), 1, 2 * w.length()));
            AdamUpdater a = (AdamUpdater) config.instantiate(view, false);
            a.setStateViewArray(view, w.shape(), w.ordering(), false);
            return a;
        });
        int t = steps.merge(p.name(), 1, Integer::sum);
        config.setLearningRate(rate);
        u.applyUpdater(grad, t - 1, 0);
        if (decay && decoupled) w.subi(w.mul(rate * weightDecay));
        w.subi(grad);
    }

    @Override
    public double baseLr() { return lr; }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        states.forEach((k, v) -> {
            s.put(k + "/moments", v);
            s.put(k + "/step", Nd4j.scalar((double) steps.getOrDefault(k, 0)));
        });
        return s;
    }

    @Override
    public void load(Map<String, INDArray> state) {
        updaters.clear();
        states.clear();
        steps.clear();
        state.forEach((k, v) -> {
            String name = k.substring(0, k.lastIndexOf('/'));
            if (k.endsWith("/moments")) states.put(name, v.dup());
            else steps.put(name, (int) v.getDouble(0));
        });
    }

    @Override
    public String describe() {
        return String.format("%s(lr=%s, betas=(%s, %s), eps=%s, wd=%s)", decoupled ? "adamw" : "adam", lr, beta1, beta2, eps, weightDecay);
    }
}
