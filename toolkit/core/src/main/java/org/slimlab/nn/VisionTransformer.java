package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A Vision Transformer (Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words", arXiv 2010.11929; DeiT layout,
 * Touvron et al. 2021, arXiv 2012.12877): {@link PatchEmbed} (patches + CLS token + position embeddings), pre-norm
 * transformer blocks {@code x + attn(ln1(x))}, {@code x + mlp(ln2(x))} (two {@link Residual}s, so depth subnets can
 * drop them), a final {@link LayerNorm}, and a linear head on the CLS token. Build it with {@link VisionTransformers}.
 * <p>Named graph outputs for methods that look inside: {@link #TOKENS} (the normed output tokens {@code [B, 1+N, dim]})
 * and each block's attention probabilities ({@link #lastAttention()}). An optional <em>token head</em> (a linear
 * layer dim -> classes, e.g. SMMix's fine-grained head) is part of the tree so the trainer optimises and checkpoints
 * it, but inference uses the CLS head only and it is neither traced nor counted (MACs and params are those of the
 * evaluated network).
 * <pre>{@code
 * var vit = VisionTransformers.tiny(1, 28, 4, 48, 3, 3, 2, 10, 1, true);   // 7x7 patches + CLS, dim 48, depth 3
 * vit.summary();
 * }</pre>
 */
public final class VisionTransformer extends Module {

    /** Name of the final normed tokens {@code [B, 1 + N, dim]} in every graph of a ViT. */
    public static final String TOKENS = "vit_tokens";

    private final Module embed, blocks, norm, head, tokenHead;

    public VisionTransformer(PatchEmbed embed, Sequential blocks, LayerNorm norm, Linear head, Linear tokenHead) {
        this((Module) embed, blocks, norm, head, tokenHead);
    }

    private VisionTransformer(Module embed, Module blocks, Module norm, Module head, Module tokenHead) {
        this.embed = embed;
        this.blocks = blocks;
        this.norm = norm;
        this.head = head;
        this.tokenHead = tokenHead;
    }

    public PatchEmbed patchEmbed() { return (PatchEmbed) embed; }
    public Module blocks() { return blocks; }
    public Module head() { return head; }
    /** The token head, or null if built without one. */
    public Module tokenHead() { return tokenHead; }
    public int dim() { return patchEmbed().dim(); }

    /** The attention layer of the last block (whose probabilities SMMix scores patches with). */
    public MultiHeadAttention lastAttention() {
        return blocks.modules().filter(MultiHeadAttention.class::isInstance).map(MultiHeadAttention.class::cast)
                .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("a ViT without attention blocks"));
    }

    @Override
    public List<Module> children() {
        List<Module> c = new ArrayList<>(List.of(embed, blocks, norm, head));
        if (tokenHead != null) c.add(tokenHead);
        return c;
    }

    @Override
    protected String childName(int i) { return List.of("patch_embed", "blocks", "norm", "head", "token_head").get(i); }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        SDVariable t = norm.forward(g, blocks.forward(g, embed.forward(g, x)));
        t = g.sd().identity(TOKENS, t);
        SDVariable cls = t.get(SDIndex.all(), SDIndex.point(0), SDIndex.all());   // [B, dim]
        return head.forward(g, cls);
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        Tensor y = norm.trace(t, blocks.trace(t, embed.trace(t, x)));
        Tensor cls = t.tensor(new long[]{y.shape()[1]}, y.space(), 1);
        return head.trace(t, cls);
    }

    @Override
    public Module mapLeaves(UnaryOperator<Module> f) {
        return new VisionTransformer(embed.mapLeaves(f), blocks.mapLeaves(f), norm.mapLeaves(f), head.mapLeaves(f),
                tokenHead == null ? null : tokenHead.mapLeaves(f));
    }

    @Override
    public Module copy() { return mapLeaves(Module::copy); }

    @Override
    public String describe() { return "dim " + dim() + (tokenHead == null ? "" : ", token head"); }
}
