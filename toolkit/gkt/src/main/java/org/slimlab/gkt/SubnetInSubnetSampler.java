package org.slimlab.gkt;

import org.slimlab.distill.DepthSubnets;
import org.slimlab.distill.Subnet;
import org.slimlab.nn.Model;
import org.slimlab.nn.Residual;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * GKT's subnet-in-subnet sampling (Wang et al., "Group Knowledge Based Training of Residual Networks",
 * arXiv 2308.13772): a loop of {@code levels} draws S_1 ⊇ S_2 ⊇ ... ⊇ S_G starting from the main net S_0; each
 * child inherits its parent's dropped blocks and drops each still-kept droppable block with probability {@code q}
 * ("inheriting exponential decay": a block survives level g with probability (1-q)^g, so large subnets are
 * favoured). After level G the next draw restarts the loop at S_0. Stem, downsampling blocks and head always run.
 * <pre>{@code
 * var sampler = SubnetInSubnetSampler.of(resnet20()).levels(2).dropProbability(0.2);
 * var d = sampler.next(new Random(1));    // d.level() == 1, d.subnet() a depth subnet of the main net
 * }</pre>
 */
public final class SubnetInSubnetSampler {

    /** One draw: the level g in [1, G] and the subnet S_g with its kept droppable blocks. */
    public record Draw(int level, Subnet subnet, Set<Residual> kept) {}

    private final DepthSubnets space;
    private final List<Residual> droppable;
    private final int levels;
    private final double q;
    private int level;                 // level of the last draw (0 = a loop starts at the main net)
    private Set<Residual> parent;      // kept blocks of S_level

    private SubnetInSubnetSampler(DepthSubnets space, int levels, double q) {
        if (levels < 1) throw new IllegalArgumentException("levels must be >= 1, got " + levels);
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("drop probability must be in [0, 1], got " + q);
        this.space = space;
        this.droppable = space.droppable();
        this.levels = levels;
        this.q = q;
        restart();
    }

    /** Two levels, drop probability 0.2, over the depth space of {@code model}. */
    public static SubnetInSubnetSampler of(Model model) { return new SubnetInSubnetSampler(DepthSubnets.of(model), 2, 0.2); }

    /** Levels G of a loop (draws before it restarts at the main net). */
    public SubnetInSubnetSampler levels(int g) { return new SubnetInSubnetSampler(space, g, q); }

    /** Probability q that a child drops each block its parent kept. */
    public SubnetInSubnetSampler dropProbability(double p) { return new SubnetInSubnetSampler(space, levels, p); }

    public int levels() { return levels; }
    public double dropProbability() { return q; }
    public DepthSubnets space() { return space; }

    /** Starts a new loop: the next draw is a level-1 child of the main net. */
    public void restart() {
        level = 0;
        parent = identitySet(droppable);
    }

    /** The next subnet of the loop: a child of the previous draw, or of the main net when a loop (re)starts. */
    public Draw next(Random rng) {
        if (level == levels) restart();
        Set<Residual> child = identitySet(List.of());
        for (Residual r : droppable) if (parent.contains(r) && rng.nextDouble() >= q) child.add(r);
        level++;
        parent = child;
        return new Draw(level, Subnet.depth(child), Collections.unmodifiableSet(child));
    }

    private static Set<Residual> identitySet(List<Residual> items) {
        Set<Residual> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(items);
        return s;
    }
}
