package org.slimlab.stp;

import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Residual;
import org.slimlab.nn.Sequential;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Physically removes residual blocks (identity shortcuts) from a model: the compact network of a depth subnet, as
 * STP (arXiv 2403.06417) outputs it. Only blocks inside plain {@link Sequential} containers can be removed.
 */
final class BlockRemoval {

    private BlockRemoval() {}

    /** A copy of {@code model} without the blocks in {@code drop} (identity set of its droppable blocks). */
    static Model without(Model model, Set<Residual> drop) {
        for (Residual r : drop)
            if (!r.droppable()) throw new IllegalArgumentException(r.path() + " has a projection shortcut and cannot be removed");
        return new Model(model.name(), rebuild(model.root(), drop), model.inputShape());
    }

    private static Module rebuild(Module m, Set<Residual> drop) {
        if (m.modules().noneMatch(d -> d instanceof Residual r && drop.contains(r))) return m.copy();
        if (m instanceof Sequential s && s.getClass() == Sequential.class) {
            List<Module> kids = new ArrayList<>();
            List<String> names = s.names() == null ? null : new ArrayList<>();
            for (int i = 0; i < s.children().size(); i++) {
                Module c = s.children().get(i);
                if (c instanceof Residual r && drop.contains(r)) continue;
                kids.add(rebuild(c, drop));
                if (names != null) names.add(s.names().get(i));
            }
            return new Sequential(kids, names);
        }
        throw new UnsupportedOperationException("cannot remove blocks nested in a " + m.type() + " at '" + m.path() + "'");
    }
}
