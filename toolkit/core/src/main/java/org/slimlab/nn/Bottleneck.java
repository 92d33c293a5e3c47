package org.slimlab.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * ResNet bottleneck block (torchvision v1.5: stride on the 3x3 conv): 1x1 reduce, 3x3, 1x1 expand by 4, each with
 * BN, plus shortcut, then ReLU.
 */
public final class Bottleneck extends Residual {

    public static final int EXPANSION = 4;

    /** {@code width} is the inner width; the block outputs {@code width * 4} channels. */
    public Bottleneck(int in, int width, int stride) {
        this(body(in, width, stride), projection(in, width * EXPANSION, stride));
    }

    private Bottleneck(Module body, Module shortcut) { super(body, shortcut, true); }

    private static Module body(int in, int width, int stride) {
        List<Module> l = new ArrayList<>(convBn(in, width, 1, 1, 0, true));
        l.addAll(convBn(width, width, 3, stride, 1, true));
        l.addAll(convBn(width, width * EXPANSION, 1, 1, 0, false));
        return new Sequential(l);
    }

    @Override
    protected Residual rebuild(Module newBody, Module newShortcut) { return new Bottleneck(newBody, newShortcut); }
}
