package org.slimlab.nn;

import java.util.ArrayList;
import java.util.List;

/** ResNet basic block: conv3x3-BN-ReLU-conv3x3-BN plus shortcut, then ReLU (He et al. 2016). */
public final class BasicBlock extends Residual {

    public BasicBlock(int in, int out, int stride) {
        this(body(in, out, stride), projection(in, out, stride));
    }

    private BasicBlock(Module body, Module shortcut) { super(body, shortcut, true); }

    private static Module body(int in, int out, int stride) {
        List<Module> l = new ArrayList<>(convBn(in, out, 3, stride, 1, true));
        l.addAll(convBn(out, out, 3, 1, 1, false));
        return new Sequential(l);
    }

    @Override
    protected Residual rebuild(Module newBody, Module newShortcut) { return new BasicBlock(newBody, newShortcut); }
}
