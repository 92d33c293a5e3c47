package org.slimlab.prune;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which channels each group keeps (sorted indices). Groups without an entry keep everything. Applied either as
 * hard masks ({@link HardMasks}) or physically ({@link Slicer}); both give the same outputs.
 */
public final class PruningPlan {

    private final Map<Integer, int[]> keep = new LinkedHashMap<>();

    /** Keeps {@code channels} (any order; stored sorted) of group {@code g}. */
    public PruningPlan keep(ChannelGroup g, int[] channels) {
        if (channels.length == 0) throw new IllegalArgumentException("a group must keep at least one channel: " + g.label());
        int[] c = channels.clone();
        Arrays.sort(c);
        if (c[c.length - 1] >= g.channels() || c[0] < 0) throw new IllegalArgumentException("channel index out of range in " + g.label());
        keep.put(g.id(), c);
        return this;
    }

    /** Kept channels of the group with this id, or null when it keeps all. */
    public int[] kept(int groupId) { return keep.get(groupId); }

    /** Number of channels group {@code g} keeps. */
    public int width(ChannelGroup g) { int[] k = keep.get(g.id()); return k == null ? g.channels() : k.length; }

    public boolean isEmpty() { return keep.isEmpty(); }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("PruningPlan{");
        keep.forEach((g, k) -> s.append(g).append(':').append(k.length).append(' '));
        return s.append('}').toString();
    }
}
