package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code relu(body(x) + shortcut(x))}, shortcut the identity when null. The add ties the channel spaces of its two
 * inputs: they form one pruning group. A block with an identity shortcut can be dropped from a depth subnet
 * ({@link Graph#keeps}), which then passes x through unchanged.
 */
public class Residual extends Module {

    private final Module body;
    private final Module shortcut;
    private final boolean postRelu;

    public Residual(Module body, Module shortcut, boolean postRelu) {
        this.body = body;
        this.shortcut = shortcut;
        this.postRelu = postRelu;
    }

    public Module body() { return body; }
    public Module shortcut() { return shortcut; }
    public boolean postRelu() { return postRelu; }

    /** True when the block can be skipped (identity shortcut: input and output shapes agree). */
    public boolean droppable() { return shortcut == null; }

    @Override
    public List<Module> children() { return shortcut == null ? List.of(body) : List.of(body, shortcut); }

    @Override
    protected String childName(int i) { return i == 0 ? "body" : "shortcut"; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        if (droppable() && !g.keeps(this)) return x;
        SDVariable y = body.forward(g, x).add(shortcut == null ? x : shortcut.forward(g, x));
        return postRelu ? g.sd().nn().relu(y, 0) : y;
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        if (droppable() && !t.keeps(this)) return x;
        Tensor y = body.trace(t, x);
        Tensor s = shortcut == null ? x : shortcut.trace(t, x);
        if (!java.util.Arrays.equals(y.shape(), s.shape()))
            throw new IllegalArgumentException(path() + ": residual branches disagree: body " + y + " vs shortcut " + s);
        t.tie(y.space(), s.space());
        return t.tensor(y.shape(), y.space(), 1);
    }

    @Override
    public Module mapLeaves(UnaryOperator<Module> f) {
        return rebuild(body.mapLeaves(f), shortcut == null ? null : shortcut.mapLeaves(f));
    }

    /** The same block type around new branches. */
    protected Residual rebuild(Module newBody, Module newShortcut) { return new Residual(newBody, newShortcut, postRelu); }

    @Override
    public Module copy() { return mapLeaves(Module::copy); }

    @Override
    public String describe() { return shortcut == null ? "identity" : "projection"; }

    /** Helper for blocks: conv, BN (and ReLU) as a list. */
    static List<Module> convBn(int in, int out, int k, int stride, int pad, boolean relu) {
        List<Module> l = new ArrayList<>(List.of(new Conv2d(in, out, k, stride, pad, false), new BatchNorm2d(out)));
        if (relu) l.add(new ReLU());
        return l;
    }

    /** The 1x1-conv + BN projection shortcut, or null when shapes already agree. */
    static Module projection(int in, int out, int stride) {
        if (stride == 1 && in == out) return null;
        return new Sequential(new Conv2d(in, out, 1, stride, 0, false), new BatchNorm2d(out));
    }
}
