package org.slimlab.prune;

import org.slimlab.nn.Module;
import org.slimlab.nn.Trace;

import java.util.List;
import java.util.Set;

/**
 * Channels that must be pruned together: one channel space after residual adds tie spaces (like a node of
 * Torch-Pruning's dependency graph). {@code producers} create the channels (conv/linear outputs),
 * {@code maskPoints} are where a mask zeroes them (after the BN that follows a conv, else the producer),
 * {@code consumers} read them (convs and linears, possibly after a flatten), {@code norms} are BN layers on them.
 */
public record ChannelGroup(int id, int channels, List<Module> producers, Set<Module> maskPoints,
                           List<Trace.Node> consumers, List<Module> norms) {

    /** e.g. {@code layer1.0.body.0+2 (16 ch)}. */
    public String label() {
        StringBuilder s = new StringBuilder();
        for (Module p : producers) s.append(s.length() == 0 ? "" : "+").append(p.path());
        return s + " (" + channels + " ch)";
    }
}
