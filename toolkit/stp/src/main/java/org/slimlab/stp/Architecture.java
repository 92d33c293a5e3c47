package org.slimlab.stp;

import java.util.Arrays;

/**
 * One point of STP's architecture space (arXiv 2403.06417): the number of channels each channel group keeps
 * ({@code widths}, in the order of {@link SupernetSpace#groups()}) and the number of residual blocks each stage keeps
 * ({@code depths}, empty for networks without residual stages). Immutable; equal contents are equal architectures.
 */
public final class Architecture {

    private final int[] widths, depths;

    public Architecture(int[] widths, int[] depths) {
        this.widths = widths.clone();
        this.depths = depths.clone();
    }

    public int[] widths() { return widths.clone(); }

    public int[] depths() { return depths.clone(); }

    public int width(int group) { return widths[group]; }

    public int depth(int stage) { return depths[stage]; }

    /** A copy with group {@code g} at {@code channels}. */
    public Architecture withWidth(int g, int channels) {
        int[] w = widths.clone();
        w[g] = channels;
        return new Architecture(w, depths);
    }

    /** A copy with stage {@code s} at {@code blocks}. */
    public Architecture withDepth(int s, int blocks) {
        int[] d = depths.clone();
        d[s] = blocks;
        return new Architecture(widths, d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a && Arrays.equals(a.widths, widths) && Arrays.equals(a.depths, depths);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(widths) + Arrays.hashCode(depths); }

    /** e.g. {@code widths [8, 4, 8] depths [3, 2]}. */
    @Override
    public String toString() { return "widths " + Arrays.toString(widths) + " depths " + Arrays.toString(depths); }
}
