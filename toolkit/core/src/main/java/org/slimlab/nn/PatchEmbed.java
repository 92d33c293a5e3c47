package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.slimlab.graph.Graph;

/**
 * ViT's input stage: non-overlapping {@code patch x patch} patches of {@code [B, C, H, W]} projected to {@code dim}
 * (a stride-{@code patch} convolution, YXIO weights like {@link Conv2d}), flattened row-major into
 * {@code N = (H/patch)(W/patch)} tokens, a learned CLS token prepended and learned position embeddings added:
 * {@code [B, 1 + N, dim]}, token 0 the CLS token, token {@code 1 + r*(W/patch) + c} the patch at row r, column c.
 * MACs = {@code N * dim * C * patch^2}; params: conv weight and bias, CLS token, position embeddings.
 */
public final class PatchEmbed extends Module {

    private final int in, dim, patch, gridH, gridW;
    private final Param weight, bias, cls, pos;

    /** For images {@code in x height x width}; weights PyTorch-default for the conv, truncated-normal (0.02) tokens. */
    public PatchEmbed(int in, int dim, int patch, int height, int width) {
        this(in, dim, patch, height, width,
                Init.torchDefault((long) in * patch * patch, patch, patch, in, dim), Init.torchDefault((long) in * patch * patch, dim),
                Tokens.truncNormal(0.02, 1, 1, dim), Tokens.truncNormal(0.02, 1, 1 + (long) (height / patch) * (width / patch), dim));
    }

    public PatchEmbed(int in, int dim, int patch, int height, int width, INDArray weight, INDArray bias, INDArray cls, INDArray pos) {
        if (patch <= 0 || height % patch != 0 || width % patch != 0)
            throw new IllegalArgumentException("image " + height + "x" + width + " is not divisible into " + patch + "x" + patch + " patches");
        this.in = in;
        this.dim = dim;
        this.patch = patch;
        this.gridH = height / patch;
        this.gridW = width / patch;
        this.weight = addParam("proj.weight", Param.Kind.WEIGHT, weight);
        this.bias = addParam("proj.bias", Param.Kind.BIAS, bias);
        this.cls = addParam("cls_token", Param.Kind.OTHER, cls);
        this.pos = addParam("pos_embed", Param.Kind.OTHER, pos);
    }

    public int dim() { return dim; }
    public int patch() { return patch; }
    /** Patch rows and columns of the token grid. */
    public int gridHeight() { return gridH; }
    public int gridWidth() { return gridW; }
    /** Patch tokens (without CLS). */
    public int patches() { return gridH * gridW; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        Conv2DConfig c = Conv2DConfig.builder().kH(patch).kW(patch).sH(patch).sW(patch).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        SDVariable y = g.sd().cnn().conv2d(x, g.var(weight), g.var(bias), c);                 // [B, dim, gh, gw]
        SDVariable tokens = y.reshape(-1, dim, patches()).permute(0, 2, 1);                      // [B, N, dim]
        SDVariable first = tokens.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all());    // [B, 1, dim]
        SDVariable clsB = g.sd().zerosLike(first).add(g.var(cls));                              // CLS per image
        return g.sd().concat(1, clsB, tokens).add(g.var(pos));
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        if (x.shape().length != 3 || x.shape()[0] != in || x.height() != (long) gridH * patch || x.width() != (long) gridW * patch)
            throw new IllegalArgumentException(path() + ": PatchEmbed(" + describe() + ") expects [" + in + ", "
                    + gridH * patch + ", " + gridW * patch + "], got " + x);
        Tensor y = t.tensor(new long[]{1 + patches(), dim}, t.newSpace(this), 1);
        t.record(this, x, y, (long) patches() * dim * in * patch * patch,
                weight.value().length() + dim + cls.value().length() + pos.value().length());
        return y;
    }

    @Override
    public Module copy() {
        return new PatchEmbed(in, dim, patch, gridH * patch, gridW * patch, weight.value().dup(), bias.value().dup(),
                cls.value().dup(), pos.value().dup());
    }

    @Override
    public String describe() { return in + "->" + dim + " patch " + patch + ", " + gridH + "x" + gridW + " tokens + CLS"; }
}
