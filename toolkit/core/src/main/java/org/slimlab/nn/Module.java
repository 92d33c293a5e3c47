package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.graph.Graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A node of the module tree: owns named parameters, emits SameDiff ops in {@link #forward}, and propagates shapes
 * symbolically in {@link #trace} (for counting and channel-group discovery). Leaves are layers; containers
 * ({@link Sequential}, {@link Residual}) combine children. A module instance appears once in a tree.
 */
public abstract class Module {

    private final List<Param> params = new ArrayList<>();
    private String path = "";

    /** Emits this module's ops on {@code x} into the graph being built. */
    public abstract SDVariable forward(Graph g, SDVariable x);

    /** Symbolic forward: output shape and channel space, recording leaf layers in {@code t}. */
    public abstract Tensor trace(Trace t, Tensor in);

    /** A deep copy: same structure, parameters duplicated. */
    public abstract Module copy();

    /** Child modules (empty for layers). */
    public List<Module> children() { return List.of(); }

    /**
     * This tree with every leaf replaced by {@code f(leaf)}; containers are rebuilt around the new children.
     * Slicing and casting are written with it.
     */
    public Module mapLeaves(UnaryOperator<Module> f) { return f.apply(this); }

    /** Short description of the configuration for summaries, e.g. {@code 16->32 k3 s2}. */
    public String describe() { return ""; }

    /** Type name shown in summaries. */
    public String type() { return getClass().getSimpleName(); }

    /** Dotted path in the model ({@code layer1.0.conv1}); set by {@link Model}. */
    public String path() { return path; }

    /** This module's own parameters (not its children's). */
    public List<Param> params() { return Collections.unmodifiableList(params); }

    /** Pre-order stream of this module and all descendants. */
    public Stream<Module> modules() {
        return Stream.concat(Stream.of(this), children().stream().flatMap(Module::modules));
    }

    /** Every parameter in this subtree, in pre-order. */
    public List<Param> allParams() {
        return modules().flatMap(m -> m.params().stream()).toList();
    }

    protected final Param addParam(String localName, Param.Kind kind, INDArray value) {
        Param p = new Param(localName, kind, value);
        params.add(p);
        return p;
    }

    /** Looks up one of this module's parameters by local name. */
    public Param param(String localName) {
        for (Param p : params) if (p.localName().equals(localName)) return p;
        throw new IllegalArgumentException(type() + " has no parameter '" + localName + "'");
    }

    /** Assigns dotted paths below {@code prefix}; children are named by position unless they are named. */
    void assignPaths(String prefix) {
        this.path = prefix;
        for (Param p : params) p.setPath(prefix);
        List<Module> ch = children();
        for (int i = 0; i < ch.size(); i++) {
            String local = childName(i);
            ch.get(i).assignPaths(prefix.isEmpty() ? local : prefix + "." + local);
        }
    }

    /** Name of child {@code i} in paths; containers with named slots override. */
    protected String childName(int i) { return Integer.toString(i); }

    /** Casts every parameter of this (freshly copied, not yet compiled) subtree to {@code type}. */
    void castParams(DataType type) {
        for (Param p : params) p.reset(p.value().castTo(type));
    }

    @Override
    public String toString() {
        String d = describe();
        return type() + (d.isEmpty() ? "" : "(" + d + ")");
    }
}
