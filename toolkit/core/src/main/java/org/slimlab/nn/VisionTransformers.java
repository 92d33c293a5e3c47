package org.slimlab.nn;

import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Builders of {@link VisionTransformer}s: any size, DeiT-Tiny/Small (Touvron et al. 2021, arXiv 2012.12877) at
 * 3x224x224, and the tiny ViT of the Fashion-MNIST reproductions. Each builder seeds the initialisation.
 * <pre>{@code
 * var deit = VisionTransformers.deitTiny(1000);    // 5,717,416 params, ~1.26 G MACs (attention matmuls counted)
 * var vit  = VisionTransformers.tiny(1, 28, 4, 48, 3, 3, 2, 10, 1, true);
 * }</pre>
 */
public final class VisionTransformers {

    private VisionTransformers() {}

    /**
     * A ViT for {@code channels x size x size} images: patches of {@code patch}, width {@code dim}, {@code depth}
     * blocks of {@code heads} heads, MLP hidden width {@code mlpRatio * dim}; with a token head when asked.
     * Linear layers and tokens are truncated-normal (std 0.02) with zero biases, the head's weight zero-mean too
     * (DeiT); LayerNorms 1 / 0.
     */
    public static Model vit(String name, int channels, int size, int patch, int dim, int depth, int heads, double mlpRatio,
                            int classes, long seed, boolean tokenHead) {
        return vit(name, channels, size, patch, dim, depth, heads, mlpRatio, classes, seed, tokenHead, false);
    }

    /**
     * As above; with {@code torchInit} the linear layers (projections, MLP, heads) get PyTorch's {@code nn.Linear}
     * default initialisation instead of DeiT's truncated normal (std 0.02), under which a small ViT trained for a
     * few hundred steps barely moves: the residual branches start ~1e-3 of the CLS path, so patch tokens get almost
     * no gradient (measured on the Fashion-MNIST ViT).
     */
    public static Model vit(String name, int channels, int size, int patch, int dim, int depth, int heads, double mlpRatio,
                            int classes, long seed, boolean tokenHead, boolean torchInit) {
        if (depth < 1) throw new IllegalArgumentException("a ViT needs at least one block, got depth " + depth);
        Init.seed(seed);
        PatchEmbed embed = new PatchEmbed(channels, dim, patch, size, size);
        int hidden = (int) Math.round(mlpRatio * dim);
        List<Module> blocks = new ArrayList<>();
        for (int i = 0; i < depth; i++) blocks.add(block(dim, heads, hidden, torchInit));
        Linear head = torchInit ? new Linear(dim, classes) : new Linear(dim, classes, Tokens.truncNormal(0.02, dim, classes), Nd4j.zeros(classes));
        Linear tok = !tokenHead ? null : torchInit ? new Linear(dim, classes)
                : new Linear(dim, classes, Tokens.truncNormal(0.02, dim, classes), Nd4j.zeros(classes));
        return new Model(name, new VisionTransformer(embed, new Sequential(blocks), new LayerNorm(dim), head, tok),
                channels, size, size);
    }

    /** One pre-norm block: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}. */
    public static Sequential block(int dim, int heads, int hidden, boolean torchInit) {
        Residual attn = new Residual(new Sequential(List.of(new LayerNorm(dim), new MultiHeadAttention(dim, heads, torchInit)),
                List.of("norm", "attn")), null, false);
        Residual mlp = new Residual(new Sequential(List.of(new LayerNorm(dim), new Mlp(dim, hidden, torchInit)),
                List.of("norm", "mlp")), null, false);
        return new Sequential(List.of(attn, mlp), List.of("attn", "mlp"));
    }

    /**
     * The Fashion-MNIST-sized ViT of METHODS.md §5 (e.g. patch 4 on 28x28: 7x7 tokens + CLS), with PyTorch-default
     * linear initialisation (trains in few steps; see {@link #vit(String, int, int, int, int, int, int, double, int, long, boolean, boolean)}).
     */
    public static Model tiny(int channels, int size, int patch, int dim, int depth, int heads, double mlpRatio,
                             int classes, long seed, boolean tokenHead) {
        return vit(String.format("vit-d%d-l%d-h%d-p%d", dim, depth, heads, patch), channels, size, patch, dim, depth,
                heads, mlpRatio, classes, seed, tokenHead, true);
    }

    /** DeiT-Tiny: patch 16, dim 192, depth 12, 3 heads, MLP 768, at 3x224x224 (5,717,416 params with 1000 classes). */
    public static Model deitTiny(int classes) { return vit("deit-tiny", 3, 224, 16, 192, 12, 3, 4, classes, 1, false); }

    /** DeiT-Small: patch 16, dim 384, depth 12, 6 heads, MLP 1536, at 3x224x224. */
    public static Model deitSmall(int classes) { return vit("deit-small", 3, 224, 16, 384, 12, 6, 4, classes, 1, false); }
}
