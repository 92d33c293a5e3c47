package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/** Children applied one after another; children may be named (paths use the names) or numbered. */
public class Sequential extends Module {

    private final List<Module> layers;
    private final List<String> names;

    public Sequential(Module... layers) { this(Arrays.asList(layers), null); }

    public Sequential(List<Module> layers) { this(layers, null); }

    /** Named children: {@code names.get(i)} is the path segment of {@code layers.get(i)}. */
    public Sequential(List<Module> layers, List<String> names) {
        this.layers = List.copyOf(layers);
        this.names = names == null ? null : List.copyOf(names);
        if (names != null && names.size() != layers.size())
            throw new IllegalArgumentException("names and layers differ in length");
    }

    @Override
    public List<Module> children() { return layers; }

    @Override
    protected String childName(int i) { return names == null ? super.childName(i) : names.get(i); }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        for (Module m : layers) x = m.forward(g, x);
        return x;
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        for (Module m : layers) x = m.trace(t, x);
        return x;
    }

    @Override
    public Module mapLeaves(UnaryOperator<Module> f) {
        List<Module> mapped = new ArrayList<>();
        for (Module m : layers) mapped.add(m.mapLeaves(f));
        return rebuild(mapped);
    }

    /** The same container type around new children (subclasses with extra structure override). */
    protected Sequential rebuild(List<Module> newLayers) { return new Sequential(newLayers, names); }

    @Override
    public Module copy() { return mapLeaves(Module::copy); }

    public List<String> names() { return names; }
}
