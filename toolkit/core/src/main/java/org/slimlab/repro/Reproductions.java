package org.slimlab.repro;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** The registry of reproductions found on the classpath (each method module registers its own). */
public final class Reproductions {

    private Reproductions() {}

    /** All registered reproductions, baselines first, then by name. */
    public static List<Reproduction> all() {
        List<Reproduction> l = new ArrayList<>();
        ServiceLoader.load(Reproduction.class).forEach(l::add);
        l.sort(Comparator.comparing((Reproduction r) -> !r.name().equals("baselines")).thenComparing(Reproduction::name));
        return l;
    }

    /** The reproduction called {@code name}. */
    public static Reproduction get(String name) {
        return all().stream().filter(r -> r.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no reproduction '" + name + "'; known: "
                        + all().stream().map(Reproduction::name).toList()));
    }
}
