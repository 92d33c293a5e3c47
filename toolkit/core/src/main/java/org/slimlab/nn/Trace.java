package org.slimlab.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Symbolic shape propagation through a module tree (no data, no graph): records, per leaf layer, its input and
 * output shapes, MACs and parameter count, and which channel spaces residual adds tie together. Counting
 * ({@code org.slimlab.count}) and channel-group discovery ({@code org.slimlab.prune}) both read it.
 */
public final class Trace {

    /** One leaf layer as traced. */
    public record Node(Module module, Tensor in, Tensor out, long macs, long params) {}

    private final List<Node> nodes = new ArrayList<>();
    private final Map<Module, Node> byModule = new IdentityHashMap<>();
    private final List<Integer> parent = new ArrayList<>();
    private final List<Module> spaceProducer = new ArrayList<>();
    private final Predicate<Residual> keep;
    private int nextTensor;

    /** A trace of the whole network. */
    public Trace() { this(r -> true); }

    /** A trace of a depth subnet: droppable residual blocks for which {@code keep} is false are skipped. */
    public Trace(Predicate<Residual> keep) { this.keep = keep; }

    /** Whether this trace keeps a droppable block. */
    public boolean keeps(Residual block) { return keep.test(block); }

    /** The network input, a fresh channel space with no producer. */
    public Tensor input(long... shape) {
        return new Tensor(nextTensor++, shape.clone(), newSpace(null), 1);
    }

    /** A new activation in {@code space}. */
    public Tensor tensor(long[] shape, int space, long perChannel) {
        return new Tensor(nextTensor++, shape.clone(), space, perChannel);
    }

    /** A new channel space created by {@code producer} (a conv or linear layer). */
    public int newSpace(Module producer) {
        parent.add(parent.size());
        spaceProducer.add(producer);
        return parent.size() - 1;
    }

    /** Ties two channel spaces: their channels must be pruned together (a residual add). */
    public void tie(int a, int b) {
        int ra = space(a), rb = space(b);
        if (ra != rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
    }

    /** The representative of a channel space after ties. */
    public int space(int s) {
        while (parent.get(s) != s) {
            parent.set(s, parent.get(parent.get(s)));
            s = parent.get(s);
        }
        return s;
    }

    /** Records a traced leaf layer. */
    public void record(Module m, Tensor in, Tensor out, long macs, long params) {
        Node n = new Node(m, in, out, macs, params);
        nodes.add(n);
        byModule.put(m, n);
    }

    public List<Node> nodes() { return Collections.unmodifiableList(nodes); }

    /** The node of a leaf layer, or null if it was not traced (e.g. skipped in a subnet). */
    public Node node(Module m) { return byModule.get(m); }

    public int spaceCount() { return parent.size(); }

    /** The module that created a channel space, or null for the network input. */
    public Module producerOf(int space) { return spaceProducer.get(space); }

    public long totalMacs() { return nodes.stream().mapToLong(Node::macs).sum(); }

    public long totalParams() { return nodes.stream().mapToLong(Node::params).sum(); }
}
