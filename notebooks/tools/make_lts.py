"""Writes notebooks/04-lts.ipynb (source of truth for the LTS notebook's cells; run with /usr/bin/python3)."""
from nbgen import md, code, write

cells = [
    md("# LTS: the lottery ticket scratcher for quantization-aware training\n\n"
       "*Exploring Lottery Ticket Hypothesis in Few-bit Quantized Neural Networks* (Zhong et al., arXiv 2211.08544). "
       "In quantization-aware training (QAT) most weights reach their final quantization level early and then only "
       "jitter around it: they are \"scratched off\" like a lottery ticket. LTS tracks, per weight, an exponential "
       "moving average of the distance between its normalised latent value and its level, and **freezes** a weight "
       "once that distance is below a threshold that grows over training. A frozen weight needs no weight update and "
       "no weight gradient, so training gets cheaper, ideally without losing accuracy.\n\n"
       "This notebook builds a W2A2 network (2-bit weights and activations everywhere), trains it with LTS, and then "
       "runs the whole reproduction: full-precision pre-training, the QAT baseline, LTS and random freezing at the "
       "same rate. Cells run at `SLIMLAB_SCALE` (tiny at `smoke`, as the tests run them)."),
    code("import org.slimlab.quant.*;\nimport org.slimlab.lts.*;\nimport org.slimlab.train.*;\nimport tech.tablesaw.api.*;\n"
         "var sc = scale();\nvar smoke = sc == SMOKE;\n"
         "var data = fashionMnist().subset(smoke ? 256 : 2_000, smoke ? 256 : 1_000).augment(flipCrop(2));\n"
         "data", "expect-output"),
    md("## Full-precision pre-training\nThe reproduction network: three 3×3 convolutions (16, 32, 64 channels) with "
       "BatchNorm and ReLU, two max-pools, global average pooling and a linear classifier."),
    code("var fp = LtsReproduction.network(1);\n"
         "var fpRun = train(fp).on(data).epochs(smoke ? 1 : 3).batch(128).sgd(0.02).cosine().seed(1).fit();\n"
         "fpRun.history()", "expect-html"),
    md("## The quantiser\nEvery conv and linear layer gets a learnable-interval fake quantiser on its weights and its "
       "input activations (`org.slimlab.quant`, usable on any core model):\n\n"
       "* weights: $\\hat w = (w - l_W)/(u_W - l_W)$, level $= \\mathrm{round}(\\mathrm{clamp}(\\hat w, 0, 1)(2^b-1))$, "
       "$w_q = 2(\\text{level}/(2^b-1) - 0.5)$;\n"
       "* activations: $a_q = \\mathrm{round}(\\mathrm{clamp}((x - l_A)/(u_A - l_A), 0, 1)(2^b-1))/(2^b-1)$.\n\n"
       "Rounding uses the straight-through estimator; the bounds are learned by their own optimizer (Adam) and "
       "initialised from one batch: $u_W = 3\\,\\mathrm{std}(W) = -l_W$, $u_A = 3\\,\\mathrm{std}(x)/\\sqrt{1-2/\\pi}$, "
       "$l_A = \\min x$. MACs are unchanged; the summary shows the extra four bounds per layer as parameters."),
    code("var q = quantize(fp, 2, data);   // W2A2 copy, bounds from the first 128 training images\nq", "expect-html"),
    code("for (var l : Quantization.layers(q))\n"
         "    System.out.printf(\"%-6s W in [%.3f, %.3f]  A in [%.3f, %.3f]%n\", l.module().path(),\n"
         "        l.weightLow().value().getDouble(0), l.weightHigh().value().getDouble(0),\n"
         "        l.activationLow().value().getDouble(0), l.activationHigh().value().getDouble(0));",
         "expect-output"),
    md("## Training with LTS\nEach iteration: the usual step (weights by SGD, bounds by Adam), then per weight "
       "$d \\leftarrow (1-\\beta)|\\hat w - q| + \\beta d$, reset to one step $\\Delta = 1/(2^b-1)$ when the level "
       "changed; after a 20% warm-up a weight freezes when $d \\le \\tau_t \\Delta$, $\\tau_t$ growing linearly from "
       "0 to 1. A frozen weight keeps its level (its effective value never changes, bit for bit) and its latent value. "
       "(At smoke scale the few iterations need $\\beta = 0.5$ for anything to freeze; otherwise $\\beta = 0.99$.)"),
    code("var lts = Lts.scratcher().beta(smoke ? 0.5 : 0.99);\n"
         "var ltsRun = train(q).on(data).epochs(smoke ? 2 : 10).batch(50).sgd(0.01).cosine().seed(1)\n"
         "    .group(\"bounds\", Quantization.bounds(), Optimizers.adam(1e-3), Schedule.constant())\n"
         "    .step(lts, lts.describe()).fit();\n"
         "System.out.println(lts.log());\nlts.log()", "expect-html"),
    code('lts.log().plot("frozen ratio over QAT (W2A2)")', "expect-image"),
    md("## The reproduction\nAll arms from the same pre-trained weights, data, epochs and seed: QAT baseline (same "
       "quantiser, no freezing), LTS, and random freezing at LTS's per-layer rate. Savings: updates eliminated "
       "(frozen / all trainable parameters, mean over iterations), backward FLOPs saved by the formula "
       "$\\sum_l f_l F_l / \\sum_l 2F_l$, and the weight-gradient wall time measured with LTS's masks (SameDiff's "
       "`conv2d_bp` always computes the weight gradient, so the skip is timed on the GEMM on its own). Claims are "
       "checked as code with thresholds fixed beforehand."),
    code("var r = reproduce(\"lts\", sc);\nr.claims()", "expect-html"),
    code("r.table()", "expect-html"),
    code('r.extraPlots().get("frozen_ratio")', "expect-image"),
    code('r.extraPlots().get("scratch_off")', "expect-image"),
    code('r.extraPlots().get("accuracy_vs_bitops")', "expect-image"),
    code("r.plot()", "expect-image"),
    md("## Ours vs the paper\nThe paper's headline is for a 2-bit ResNet-18 on ImageNet; ours is a 3-conv network on "
       "Fashion-MNIST with far fewer iterations, so the comparison is of the effects, not of the numbers."),
    code("var claims = r.claimList();\n"
         "var vs = Table.create(\"LTS: ours vs paper\",\n"
         "    StringColumn.create(\"quantity\", \"updates eliminated\", \"backward FLOPs saved / updates eliminated\",\n"
         "        \"accuracy LTS - QAT baseline\", \"accuracy LTS - random freezing\", \"weights at final level by 30% of QAT\"),\n"
         "    StringColumn.create(\"paper (ResNet-18, ImageNet, W2)\", \"56%\", \"28% / 56% = 0.5\", \"+1.41 pt\", \"> 0 (random is worse)\", \"most\"),\n"
         "    StringColumn.create(\"ours (\" + sc.label() + \")\",\n"
         "        String.format(\"%.1f%%\", 100 * claims.get(3).measured()), String.format(\"%.2f\", claims.get(4).measured()),\n"
         "        String.format(\"%+.2f pt\", 100 * claims.get(5).measured()), String.format(\"%+.2f pt\", 100 * claims.get(6).measured()),\n"
         "        String.format(\"%.1f%%\", 100 * claims.get(7).measured())),\n"
         "    BooleanColumn.create(\"holds\", claims.get(3).holds(), claims.get(4).holds(), claims.get(5).holds(),\n"
         "        claims.get(6).holds(), claims.get(7).holds()));\n"
         "vs", "expect-html"),
]

write(cells, "04-lts.ipynb")
