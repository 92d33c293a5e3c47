"""Writes notebooks/00-tour.ipynb (source of truth for the tour's cells; run with /usr/bin/python3)."""
from nbgen import md, code, write

cells = [
    md("# SlimLab tour: data → model → train → prune → count → results\n\n"
       "Every SlimLab entry point comes from one static import, already made by the kernel: "
       "`import static org.slimlab.SlimLab.*;`. The cells below run in about three minutes on 2 CPU cores "
       "(`SLIMLAB_SCALE=smoke` makes them tiny, as the tests do)."),
    code('var smoke = scale() == SMOKE;\n'
         'var data = fashionMnist().subset(smoke ? 1_000 : 2_500, smoke ? 500 : 1_000).augment(flipCrop(2));\n'
         'data', "expect-output"),
    md("## A model\nA CIFAR-style ResNet-20 for 1×28×28 inputs. A model renders as its summary: every layer with "
       "its output shape, parameters and MACs (one multiply-add; conv = out_h·out_w·C_out·C_in·k², linear = in·out)."),
    code("var net = resnet20();\nnet", "expect-html"),
    md("## Train with live progress\nOne display is updated in place with epoch, loss, accuracy, throughput and ETA. "
       "The stop button interrupts training between steps."),
    code("var run = train(net).on(data).epochs(smoke ? 1 : 2).batch(128).sgd(0.02).cosine().seed(1).fit();\n"
         "run.history()", "expect-html"),
    code("run.plot()", "expect-image"),
    md("## Prune\nL1-norm filter pruning to 35% of the MACs. Channel groups are found from the module tree "
       "(convolutions tied by residual adds are pruned together) and the result is a physically smaller network, "
       "so MACs are counted on what is evaluated. BN statistics are recalibrated on 512 training images."),
    code("var pruned = pruneL1(run.model(), 0.35);\nrecalibrate(pruned, data);\npruned", "expect-html"),
    code('System.out.printf("dense  %,d MACs  %,d params%n", net.macs(), net.params());\n'
         'System.out.printf("pruned %,d MACs  %,d params  (%.1f%% of the MACs)%n", pruned.macs(), pruned.params(), 100.0 * pruned.macs() / net.macs());',
         "expect-output"),
    md("## Fine-tune and compare\nThe fluent form prunes, recalibrates and fine-tunes a copy (the trained model is "
       "left as it is). The results table has one row per network, with its accuracy and its own counts."),
    code("var tuned = prune(run.model()).l1().toMacs(0.35).recalibrate(data).finetune(1);\n"
         'var res = results(data, "dense", run.model(), "L1 35% (no fine-tune)", pruned, "L1 35% + fine-tune", tuned);\n'
         "res", "expect-html"),
    code('res.plotAccuracyVsMacs("ResNet-20 on Fashion-MNIST: pruning")', "expect-image"),
    md("## A whole reproduction\n`reproduce(name, scale)` runs a method with its baselines and returns tables, "
       "claims checked as code and the accuracy-vs-MACs plot (here the pruning baselines at smoke scale)."),
    code('var baselines = reproduce("baselines", SMOKE);\nbaselines.claims()', "expect-html"),
    code("baselines.plot()", "expect-image"),
]

write(cells, "00-tour.ipynb")
