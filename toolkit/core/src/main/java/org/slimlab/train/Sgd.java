package org.slimlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.nn.Param;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with momentum and optional Nesterov momentum and L2 weight decay, with PyTorch's semantics
 * ({@code buf = mu buf + (g + wd p); p -= lr (nesterov ? g' + mu buf : buf)}), so results compare with PyTorch.
 * Weight decay applies to weights only (not BN or biases) unless {@code decayAll}.
 */
final class Sgd implements Optimizer {

    private final double lr, momentum, weightDecay;
    private final boolean nesterov, decayAll;
    private final Map<String, INDArray> buffers = new LinkedHashMap<>();

    Sgd(double lr, double momentum, boolean nesterov, double weightDecay, boolean decayAll) {
        this.lr = lr;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.decayAll = decayAll;
    }

    @Override
    public void step(Param p, INDArray grad, double rate) {
        INDArray w = p.value();
        if (weightDecay != 0 && (decayAll || p.kind() == Param.Kind.WEIGHT)) grad.addi(w.mul(weightDecay));
        if (momentum != 0) {
            INDArray buf = buffers.get(p.name());
            if (buf == null) buffers.put(p.name(), buf = grad.dup());
            else buf.muli(momentum).addi(grad);
            if (nesterov) grad.addi(buf.mul(momentum));
            else grad = buf;
        }
        w.subi(grad.mul(rate));
    }

    @Override
    public double baseLr() { return lr; }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        buffers.forEach((k, v) -> s.put(k + "/momentum", v));
        return s;
    }

    @Override
    public void load(Map<String, INDArray> state) {
        buffers.clear();
        state.forEach((k, v) -> buffers.put(k.substring(0, k.lastIndexOf('/')), v.dup()));
    }

    @Override
    public String describe() {
        return String.format("sgd(lr=%s, momentum=%s%s, wd=%s)", lr, momentum, nesterov ? ", nesterov" : "", weightDecay);
    }
}
