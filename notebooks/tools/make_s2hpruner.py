"""Writes notebooks/01-s2hpruner.ipynb (source of truth for its cells; run with /usr/bin/python3)."""
from nbgen import md, code, write

cells = [
    md("# S2HPruner: soft-to-hard distillation for differentiable channel pruning\n\n"
       "*S2HPruner: Soft-to-Hard Distillation Bridges the Discretization Gap in Pruning*, NeurIPS 2024, "
       "[arXiv 2410.07046](https://arxiv.org/abs/2410.07046). Differentiable pruning (DMP and its relatives) learns "
       "a **soft** network — every channel scaled by a learned probability of being kept — but what is deployed is "
       "the **hard** network: the channels the probabilities round to. The two can differ a lot (the "
       "*discretization gap*). S2HPruner trains both at once, with the same weights, and lets them teach each other "
       "with *decoupled* gradients:\n\n"
       "* `L = CE(s, y)` on the soft net, plus the resource loss `R = (F_soft / F_full - T)^2` on the mask logits;\n"
       "* `G_θ = KL(sg[softmax(s)] ‖ softmax(h))` reaches the **weights only**, through the hard net;\n"
       "* `G_u = KL(softmax(s) ‖ sg[softmax(h)])` reaches the **mask logits only**: the weights get nothing from the "
       "hard→soft direction.\n\n"
       "The output is the hard network, physically sliced, BN recalibrated, **not** fine-tuned. "
       "Cells run at the scale of `SLIMLAB_SCALE` (the tests use `smoke`)."),
    code('import org.slimlab.s2hpruner.*;\n'
         'import static org.slimlab.s2hpruner.S2HPruner.epochs;\n'
         'var sc = scale();\n'
         'var smoke = sc == SMOKE;\n'
         'var data = fashionMnist().subset(smoke ? 256 : 2_000, smoke ? 256 : 1_000).augment(flipCrop(2));\n'
         'System.out.println("scale " + sc.label() + ": " + data);', "expect-output"),
    md("## Soft masks and widths\n"
       "Each channel group (convolutions tied by residual adds share one) has C channels ordered by filter L1 norm, "
       "cut into K chunks of d channels (candidate widths `c_k = k·d`). Mask logits `u ∈ R^K` give "
       "`p = softmax(u/τ)`; the soft mask of a channel in chunk j is `w_j = Σ_{k≥j} p_k` (the probability that the "
       "width reaches it); the expected width is `E = Σ p_k c_k`, the hard width `n = d·⌈E/d⌉`. At the start most "
       "mass is on the full width:"),
    code("var net = vgg(16, 16, 0, 32, 32, 0, 64, 64, 0);\n"
         "S2HMasks.of(net, 1, 1.0, 0.9).widths()", "expect-html"),
    md("## Prune a pretrained VGG to 35% of the MACs\n"
       "A short dense training first (all arms start from these weights), then S2HPruner in one line. "
       "Progress is shown live; the result renders as soft accuracy, hard accuracy, the gap and the MACs ratio "
       "counted on the sliced network."),
    code("train(net).on(data).epochs(smoke ? 1 : 3).batch(128).sgd(0.02).cosine().seed(1).name(\"dense vgg\").fit();\n"
         "// few steps here, so the mask logits learn faster than the default Adam rate 0.01 (meant for ~30 full epochs)\n"
         "var r = S2HPruner.on(net).targetMacs(0.35).maskLr(0.1).batch(64).train(data, epochs(smoke ? 1 : 2));\n"
         "r", "expect-html"),
    code("r.plot()", "expect-image"),
    code("r.widths()", "expect-html"),
    code('System.out.printf("dense %,d MACs -> hard %,d MACs (%.3f of dense), params %,d -> %,d%n",\n'
         '        net.macs(), r.model().macs(), r.macsRatio(), net.params(), r.model().params());\n'
         'r.model()', "expect-html"),
    md("## The reproduction: DMP, S2HPruner and the two ablations\n"
       "Same dense weights, same epochs: (a) DMP (CE + R only, the hard net extracted at the end), (b) S2HPruner, "
       "(c) coupled KD (G_u also trains the weights through the soft net), (d) no G_u; S2HPruner also at 50% and "
       "20% of the MACs, with L1-norm one-shot pruning (no fine-tuning) as the reference line."),
    code("var arms = new java.util.ArrayList<S2HPrunerReproduction.Arms>();\n"
         "var rep = new S2HPrunerReproduction().onArms(arms::add).run(sc, 1);\n"
         "arms.get(0).table()", "expect-html"),
    code("rep.plot()", "expect-image"),
    code("rep.table()", "expect-html"),
    md("## Ours vs the paper's claims\n"
       "Thresholds are the ones METHODS.md fixed before any run; at smoke scale (one epoch on a few hundred images) "
       "they are not expected to hold — see docs/results/s2hpruner.md for the quick-scale numbers."),
    code("S2HPrunerReproduction.oursVsPaper(rep)", "expect-html"),
]

write(cells, "01-s2hpruner.ipynb")
