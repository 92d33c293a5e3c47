package org.slimlab.prune;

import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Discovers a model's prunable channel groups from its symbolic trace, so no pruner hand-lists layers: every conv
 * or linear output is a channel space, residual adds tie spaces together, and a group is prunable unless it holds
 * the network input or the network output (the logits).
 */
public final class ChannelGroups {

    private ChannelGroups() {}

    /** The prunable groups of {@code model}, in order of first appearance. */
    public static List<ChannelGroup> of(Model model) {
        Trace t = model.trace();
        List<Trace.Node> nodes = t.nodes();
        int inputRoot = t.space(nodes.get(0).in().space());
        int outputRoot = t.space(nodes.get(nodes.size() - 1).out().space());
        Map<Integer, List<Module>> producers = new LinkedHashMap<>();
        Map<Integer, Set<Module>> maskPoints = new LinkedHashMap<>();
        Map<Integer, List<Trace.Node>> consumers = new LinkedHashMap<>();
        Map<Integer, List<Module>> norms = new LinkedHashMap<>();
        Map<Integer, Integer> channels = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Trace.Node n = nodes.get(i);
            Module m = n.module();
            int outRoot = t.space(n.out().space()), inRoot = t.space(n.in().space());
            if (m instanceof Conv2d || m instanceof Linear) {
                producers.computeIfAbsent(outRoot, k -> new ArrayList<>()).add(m);
                channels.put(outRoot, (int) n.out().channels());
                Module point = m;
                for (int j = i + 1; j < nodes.size(); j++)
                    if (nodes.get(j).in().id() == n.out().id() && nodes.get(j).module() instanceof BatchNorm2d) {
                        point = nodes.get(j).module();
                        break;
                    }
                maskPoints.computeIfAbsent(outRoot, k -> Collections.newSetFromMap(new IdentityHashMap<>())).add(point);
                consumers.computeIfAbsent(inRoot, k -> new ArrayList<>()).add(n);
            } else if (m instanceof BatchNorm2d) {
                norms.computeIfAbsent(inRoot, k -> new ArrayList<>()).add(m);
            }
        }
        List<ChannelGroup> groups = new ArrayList<>();
        for (int root : producers.keySet()) {
            if (root == inputRoot || root == outputRoot) continue;
            groups.add(new ChannelGroup(root, channels.get(root), List.copyOf(producers.get(root)), maskPoints.get(root),
                    List.copyOf(consumers.getOrDefault(root, List.of())), List.copyOf(norms.getOrDefault(root, List.of()))));
        }
        return groups;
    }
}
