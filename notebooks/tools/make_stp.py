"""Writes notebooks/02-stp.ipynb (source of truth for the STP notebook's cells; run with /usr/bin/python3)."""
from nbgen import md, code, write

cells = [
    md("# STP: structured pruning via stimulative training\n\n"
       "*Enhanced sparsification via stimulative training*, ECCV 2024, arXiv 2403.06417 (METHODS.md section 2).\n\n"
       "Pruning hurts when the weights we drop still carry capacity. Penalties such as group lasso push the "
       "to-be-dropped weights to zero **before** pruning (\"suppressed sparsification\"), which damages the network "
       "while it trains. STP instead trains the network as a **supernet** with *stimulative training* (ST): every "
       "step, the full net learns from the labels and a random subnet learns from the full net "
       "(`CE(f(x), y) + KL(sg[softmax f(x)] || softmax f_sub(x))`, both into the shared weights). There is no "
       "sparsity penalty: the weights that subnets keep are trained twice as often and grow, the others keep their "
       "magnitude: a *relative* sparsity that makes them safe to drop.\n\n"
       "Then a **KD-guided exploration** picks the architecture: starting from the full net, every round tries "
       "shrinking each channel group by one L1-ordered chunk (or a stage by one block) and commits the candidate "
       "whose prediction stays closest (lowest KL) to the full net's, until the MACs target is met. Each step also "
       "distils a random *expanded mutant* (between the pruned and the full architecture). The pruned subnet is "
       "extracted, its BN statistics recalibrated, and it is evaluated **without fine-tuning**.\n\n"
       "The cells run at the scale of `SLIMLAB_SCALE` (`smoke` in the tests, `quick` by default: a few minutes)."),
    code('import org.slimlab.stp.*;\n'
         'var sc = scale();\n'
         'var smoke = sc == SMOKE;\n'
         'var data = fashionMnist().subset(smoke ? 128 : 1000, smoke ? 100 : 1000).augment(flipCrop(2));\n'
         'System.out.println("scale " + sc.label() + ": " + data);', "expect-output"),
    md("## The supernet space\n"
       "A CIFAR-style ResNet (3 stages × 3 basic blocks, 8/16/32 channels). Channel groups are discovered from the "
       "module tree (convs tied by residual adds form one group); each group can keep 1..4 chunks of its channels, "
       "largest L1 norm first, and each stage a prefix of its blocks (the downsampling block always stays)."),
    code('var net = smoke ? org.slimlab.nn.Models.resnetStages(new int[]{2, 2}, new int[]{4, 8}, 1, 28, 10, 1, "resnet10-4/8")\n'
         '              : resnet(3, 8, 16, 32);\n'
         'var space = SupernetSpace.of(net, smoke ? 2 : 4);\n'
         'System.out.printf("%d channel groups, %d stages; full %,d MACs, smallest subnet %,d MACs (%.1f%%)%n",\n'
         '    space.groups().size(), space.stageCount(), space.macs(space.full()), space.macs(space.smallest()),\n'
         '    100 * space.macsRatio(space.smallest()));', "expect-output"),
    md("Width subnets are channel masks whose values change in place, so every width of one depth runs through one "
       "compiled graph; the extracted (physically sliced, blocks removed) network computes the same logits as the "
       "masked subnet. It renders as its summary table:"),
    code('var rng = new java.util.Random(1);\n'
         'var some = space.random(rng);\n'
         'System.out.printf("%s%nmasked vs extracted: max |logit difference| = %.2e%n", some,\n'
         '    space.maxDifferenceToExtracted(some, data.test().head(32).images()));\n'
         'space.extract(some)', "expect-html"),
    md("## STP in a few lines\n"
       "Stimulative training for the first epochs, exploration in the last one(s), one cosine schedule over all. "
       "The exploration log shows which group or stage each round shrank and the KL it cost."),
    code('var stp = Stp.of(net).on(data).chunks(smoke ? 2 : 4).epochs(smoke ? 2 : 3).exploreEpochs(1)\n'
         '    .candidateSteps(0).toMacs(0.3).sgd(0.05).batch(smoke ? 32 : 50).seed(1).evalEvery(smoke ? 2 : 3).fit();\n'
         'stp.exploration()', "expect-html"),
    code('stp.summary()', "expect-html"),
    md("## The reproduction: arms A-D at 50% and 15% of the MACs, equal epochs\n"
       "- **A** common training → L1 filter pruning, no fine-tuning\n"
       "- **B** common training (E−F epochs) → L1 → fine-tune F epochs\n"
       "- **C** common training (E−L) → group lasso on the channels to drop (L epochs) → prune, no fine-tuning\n"
       "- **D** STP (ST, then KD-guided exploration with mutating expansion), no fine-tuning\n\n"
       "BN statistics are recalibrated on 512 training images in every arm. MACs and params are counted on the "
       "physically pruned networks."),
    code('var outcome = new StpReproduction().runDetailed(sc, 1);\n'
         'outcome.result().table().select("arm", "accuracy", "macs", "params", "macs_ratio", "epochs", "note")', "expect-html"),
    md("## Relative sparsity\n"
       "For the L1 plan at each target (every group keeps the same fraction of its L1-largest filters): mean |w| of "
       "the kept filters over mean |w| of the dropped ones, recorded after every epoch. STP's claim: under ST the "
       "ratio rises while the dropped weights keep the magnitude of common training's; under group lasso (C) the "
       "dropped weights are driven to ~0."),
    code('outcome.sparsity().summary()', "expect-html"),
    code('outcome.sparsity().plot()', "expect-image"),
    code('outcome.sparsity().plotDropped()', "expect-image"),
    md("## Claims as code and accuracy vs MACs"),
    code('outcome.result().claims()', "expect-html"),
    code('outcome.result().plot()', "expect-image"),
    md("## Ours vs the paper\n"
       "The paper reports ResNet-50 on ImageNet; our check is the small-scale reproduction of METHODS.md, so the "
       "comparison is of the *effects*, not of the numbers."),
    code('var claims = outcome.result().claimList();\n'
         'var paper = java.util.List.of(\n'
         '    "ST: kept weights grow relative to dropped ones", "ST ratio above common training\'s",\n'
         '    "ST keeps dropped weights\' magnitude", "group lasso drives dropped weights to zero",\n'
         '    "72.43% vs L1-style baselines at 15% MACs (ResNet-50, ImageNet, no fine-tune)", "better than group-lasso pruning",\n'
         '    "no fine-tuning needed to match fine-tuned pruning", "gain grows with compression", "-", "-");\n'
         'var vs = tech.tablesaw.api.Table.create("STP: ours vs the paper (" + sc.label() + ")",\n'
         '    tech.tablesaw.api.StringColumn.create("claim", claims.stream().map(c -> c.statement()).toList()),\n'
         '    tech.tablesaw.api.StringColumn.create("paper", paper.subList(0, claims.size())),\n'
         '    tech.tablesaw.api.DoubleColumn.create("ours", claims.stream().mapToDouble(c -> c.measured()).toArray()),\n'
         '    tech.tablesaw.api.StringColumn.create("threshold", claims.stream().map(c -> c.threshold()).toList()),\n'
         '    tech.tablesaw.api.BooleanColumn.create("holds", claims.stream().map(c -> c.holds()).toList()));\n'
         'vs', "expect-html"),
]

write(cells, "02-stp.ipynb")
