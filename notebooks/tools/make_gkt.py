"""Writes notebooks/03-gkt.ipynb (source of truth for the GKT notebook's cells; run with /usr/bin/python3)."""
from nbgen import md, code, write

cells = [
    md("# GKT: group knowledge based training of residual networks\n\n"
       "Wang et al., *Group Knowledge Based Training of Residual Networks*, AAAI 2024 (arXiv 2308.13772).\n\n"
       "A residual network is an ensemble of shallower subnetworks, and its blocks tend to **loaf**: with the full "
       "network to lean on, each subnet learns little by itself. *Stimulative Training* (ST, NeurIPS 2022) fights "
       "this by sampling a subnet every iteration and distilling the main network into it with "
       "`KL(sg[softmax(z_main)] || softmax(z_sub))`. GKT changes two things:\n\n"
       "1. **Subnet-in-subnet sampling.** Within a loop, step *g* samples S_g ⊆ S_{g−1} (S_0 is the main net): the "
       "child inherits its parent's dropped blocks and drops each remaining block with a small probability *q*, so "
       "large subnets are favoured. After *G* steps the loop restarts at S_0.\n"
       "2. **Group knowledge.** K_g is the moving average (momentum μ) of the detached logits of the level-*g* "
       "subnets of the iteration; K_0 = sg[z_main]. The loss is `CE(z_main, y) + Σ_g λ KL(softmax(K_{g−1}) || softmax(z(S_g)))`.\n\n"
       "The deliverable is the full network: GKT is a training method, the architecture does not change. The cells "
       "run at the scale of `SLIMLAB_SCALE` (`quick` by default; the tests use `smoke`)."),
    code('var smoke = scale() == SMOKE;\n'
         'var data = fashionMnist().subset(smoke ? 256 : 1_500, smoke ? 200 : 500).augment(flipCrop(2));\n'
         'var net = resnet(3, 8, 16, 32);   // 3 stages x 3 basic blocks, the network of METHODS.md §3\n'
         'var space = DepthSubnets.of(net);\n'
         'System.out.printf("%d droppable blocks, %d prefix depth subnets, %,d MACs%n", space.droppable().size(), space.allPrefixDepths().size(), net.macs());',
         "expect-output"),
    md("## Subnet-in-subnet sampling\nTwo loops of *G* = 2 levels with *q* = 0.2: every child keeps a subset of its "
       "parent's blocks, and each loop starts again from the main network."),
    code('var sampler = SubnetInSubnetSampler.of(net).levels(2).dropProbability(0.2);\n'
         'var rng = new Random(1);\n'
         'var draws = Table.create("draws", StringColumn.create("level"), StringColumn.create("blocks kept (of 9)"));\n'
         'for (int i = 0; i < 6; i++) {\n'
         '    var d = sampler.next(rng);\n'
         '    draws.stringColumn(0).append("S_" + d.level());\n'
         '    draws.stringColumn(1).append(String.valueOf(space.depth(d.subnet())));\n'
         '}\n'
         'draws', "expect-html"),
    md("## Train with GKT\nTwo subnet passes per iteration (the same cost as ST with two subnets). One display shows "
       "epoch, loss, accuracy and ETA while it runs."),
    code('var gkt = GroupKnowledgeTraining.on(net).subnets(2).levels(2).dropProbability(0.2).momentum(0.9).seed(1);\n'
         'var run = train(net).on(data).epochs(smoke ? 1 : 2).batch(128).sgd(0.05).cosine().seed(1).step(gkt, gkt.describe()).fit();\n'
         'run.history()', "expect-html"),
    md("## Every depth subnet\nEach of the 27 prefix subnets (stage depths 1..3 each) is evaluated with its BatchNorm "
       "statistics recalibrated on the same 512 training images; the model's own statistics are restored afterwards."),
    code('// all 27 (at smoke scale, the tests\' scale, three of them)\n'
         'var depths = smoke ? List.of(new int[]{1, 1, 1}, new int[]{2, 2, 2}, new int[]{3, 3, 3}) : space.allPrefixDepths();\n'
         'var subnets = SubnetEvaluation.of(run.model(), data.train(), 512).prefixes(depths, data.test(), "depth subnets");\n'
         'SubnetEvaluation.table("GKT-trained ResNet: depth subnets", subnets)', "expect-html"),
    md("## The reproduction: common training, stochastic depth, ST and GKT\nSame data, epochs, seed and "
       "initialisation for every arm; the full network and all 27 subnets of each are evaluated. Each arm becomes "
       "one line of subnet accuracy against subnet MACs."),
    code('var r = reproduce("gkt", scale());\nr.claims()', "expect-html"),
    code("r.plot()", "expect-image"),
    code("GktReproduction.oursVsPaper(r)", "expect-html"),
]

write(cells, "03-gkt.ipynb")
