"""Writes notebooks/05-smmix.ipynb (source of truth for the SMMix notebook's cells; run with /usr/bin/python3)."""
from nbgen import md, code, write

cells = [
    md("# SMMix: self-motivated image mixing for vision transformers\n\n"
       "Chen et al., *SMMix: Self-Motivated Image Mixing for Vision Transformers*, ICCV 2023 (arXiv 2212.12977).\n\n"
       "CutMix pastes a random box of one image into another and mixes the labels by area, whether or not the box "
       "holds anything the network looks at. SMMix lets the transformer being trained choose: it scores every patch "
       "by the attention it receives in the last block (the model itself, in eval mode, without gradients), pastes "
       "the source image's **most** attended k×k window into the target's **least** attended one, and trains with "
       "three losses:\n\n"
       "* `L_cls`: the CLS head against the area-mixed label `λ y_t + (1-λ) y_s`, `λ = 1 - k²/N`;\n"
       "* `L_fine`: a separate *token head* on the mean of the output tokens of each region, against that region's own label;\n"
       "* `L_con`: KL from the mixed probabilities of the unmixed images `λ p(x_t) + (1-λ) p(x_s)` to the prediction on the mix.\n\n"
       "Inference uses the CLS head only. In DeiT's recipe SMMix replaces CutMix (Mixup is kept, p = 0.5 each). "
       "The cells run at the scale `SLIMLAB_SCALE` says (the tests use `smoke`: tiny and fast)."),
    code("import org.slimlab.smmix.*;\nimport org.slimlab.mix.*;\nimport org.slimlab.nn.*;\n"
         "var smoke = scale() == SMOKE;\n"
         "var data = fashionMnist().subset(smoke ? 128 : 2_000, smoke ? 100 : 1_000).augment(flipCrop(2));\n"
         "data", "expect-output"),
    md("## A tiny vision transformer\n"
       "Patch 4 on 28×28 gives a 7×7 grid of tokens plus the CLS token. The summary counts MACs by DESIGN.md's "
       "conventions: the q/k/v/output projections and the MLP as linear layers (in·out per token) **and the two "
       "attention matmuls** `q kᵀ` and `A v` (T²·dim each). The token head is part of the model (so the trainer "
       "optimises it) but not of the evaluated network, so it is not counted."),
    code("var vit = vitTiny(32, 2, 2);\nvit", "expect-html"),
    code("var deit = deitTiny();   // the published DeiT-Tiny: ~1.26 G MACs, ~5.7 M params at 3x224x224\n"
         'System.out.printf("%s: %,d MACs, %,d params%n", deit.name(), deit.macs(), deit.params());\n'
         "var attn = deit.modules(MultiHeadAttention.class).get(0);\n"
         'System.out.printf("attention matmuls: %,d MACs per block, %.1f%% of the total%n", attn.attentionMatmulMacs(197),\n'
         "        100.0 * 12 * attn.attentionMatmulMacs(197) / deit.macs());", "expect-output"),
    md("## Train with SMMix\n"
       "`SMMix.of(model)` is a training step: per batch, Mixup with probability 0.5, otherwise the attention-guided "
       "max-min mix and the three losses. It works on any core `VisionTransformer` (with a token head for `L_fine`)."),
    code("var smmix = SMMix.of(vit).seed(1);\n"
         "var run = train(vit).on(data).epochs(smoke ? 1 : 3).batch(128).adamw(2e-3, 0.05).cosine().warmup(0.1).seed(1)\n"
         '        .step(smmix, "mixup/smmix").fit();\n'
         "run.history()", "expect-html"),
    md("## What the mix looks like\n"
       "Each row: the target with its least-attended k×k window (red), its partner (image B-1-i) with its "
       "most-attended window (green), and the mixed image with the pasted window. Windows can sit at different "
       "positions; λ is the share of the target."),
    code("var b = data.train().batch(new int[]{0, 1, 2, 3, 4, 5, 6, 7});\n"
         "var mixed = smmix.mix(b, 3);\n"
         "MixGallery.of(b.x(), mixed.result(), 4, vit.modules(PatchEmbed.class).get(0).patch())", "expect-image"),
    md("## The reproduction: all arms\n"
       "No mixing, Mixup/CutMix (DeiT's default), Mixup/SMMix, and SMMix without `L_fine` or without `L_con`, all "
       "with label smoothing 0.1, the same ViT, data, schedule and seed. Claims are checked as code: SMMix ≥ CutMix "
       "in accuracy and SMMix's training time per epoch ≤ 1.3× CutMix's."),
    code('var r = reproduce("smmix", scale());\nr.table()', "expect-html"),
    code("r.claims()", "expect-html"),
    code("r.plot()", "expect-image"),
    code("SMMixReproduction.oursVsPaper(r)", "expect-html"),
]

write(cells, "05-smmix.ipynb")
