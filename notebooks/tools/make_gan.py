"""Writes notebooks/06-gan.ipynb (source of truth for the GAN-distillation notebook; run with /usr/bin/python3)."""
from nbgen import md, code, write

cells = [
    md("# Distilling GAN generators: DCD and CRD\n\n"
       "Two ways to teach a thin image-to-image generator (the *student*, 4× fewer channels) from a large one "
       "(the *teacher*):\n\n"
       "* **DCD** — *Discriminator-Cooperated Feature Map Distillation for GAN Compression* (arXiv 2212.14169, CVPR 2023): "
       "teacher and student feature maps go through small connectors (1×1 conv → BN → ReLU, down to the "
       "discriminator's input channels) and then through the **teacher discriminator** up to its penultimate layer; the "
       "student matches the teacher there (L1). The teacher's connectors are random and frozen, and the discriminator "
       "is not updated by this loss: it only acts as a learned feature space.\n"
       "* **CRD** — *Exploring Content Relationships for Distilling Efficient GANs* (arXiv 2212.11091): slice both output "
       "images into rows, columns and patches and match the *relations* between the slices (pairwise distances "
       "normalised by their mean, and angles of every triplet), not the pixels.\n\n"
       "Both are compared with the **pixel-L1 baseline** student (L1 to the teacher's output); every student also has "
       "a perceptual (feature + Gram) loss on a small frozen Fashion-MNIST CNN and the adversarial loss of the "
       "teacher discriminator. Quality is measured by **FID** on the penultimate features of a *second*, separately "
       "trained CNN (so no student is optimised against the metric). Lower FID is better.\n\n"
       "The task: paired **edge map → garment** translation on Fashion-MNIST (input: thresholded Sobel magnitude). "
       "`SLIMLAB_SCALE=smoke` (the tests) makes every cell tiny."),
    code('import org.slimlab.gan.*;\n'
         'import org.slimlab.distill.*;\n'
         'var sc = scale();\n'
         'var smoke = sc == SMOKE;\n'
         'var pairs = EdgePairs.fashionMnist(smoke ? 32 : 192, smoke ? 48 : 192, EdgePairs.THRESHOLD);\n'
         'pairs', "expect-output"),
    md("## The networks\nA ResNet generator (reflection-padded 7×7 stem, two stride-2 downsamplings, residual blocks, two "
       "transposed-conv upsamplings, tanh) with instance normalisation, and a conditional PatchGAN discriminator that "
       "sees the edge map and the garment side by side. Four `Tap` layers mark the feature maps DCD reads (after the "
       "downsampling and after 1/3, 2/3, 3/3 of the blocks). Transposed convolutions are counted by their **output** "
       "size (out_h·out_w·C_out·C_in·k², the GAN-compression papers' convention)."),
    code("var teacher = GanModels.resnetGenerator(1, 1, 16, 6, 28, 1);\nteacher", "expect-html"),
    code('var student = GanModels.resnetGenerator(1, 1, 4, 6, 28, 1);\n'
         'System.out.printf("teacher %,d MACs %,d params | student %,d MACs %,d params | %.1fx fewer MACs%n",\n'
         '    teacher.macs(), teacher.params(), student.macs(), student.params(), teacher.macs() / (double) student.macs());',
         "expect-output"),
    md("## FID and its sanity checks\nFID = ‖μ₁−μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½) on the 64-d global-average-pooled "
       "features of the FID CNN; the trace of the matrix square root comes from ND4J's symmetric eigen-decomposition. "
       "Real test images against themselves give 0, and FID must grow as they are blurred or noised."),
    code("var fid = Fid.on(FeatureNets.fid(smoke ? 256 : 3000, 1).model());\n"
         "GanReproduction.fidSanity(fid, pairs)", "expect-html"),
    md("## CRD's relations on a triangle\nThe distance term of three points (0,0), (3,0), (0,4): the distances 3, 4, 5 "
       "divided by their mean 4. The angle term at each vertex is the cosine between the edges leaving it "
       "(0, 0.6 and 0.8 here)."),
    code("var sd = org.nd4j.autodiff.samediff.SameDiff.create();\n"
         "var tri = sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray(new double[]{0, 0, 3, 0, 0, 4}).reshape(1, 3, 2));\n"
         "Crd.distances(sd, tri, 3, 2).eval()", "expect-output"),
    md("## The whole reproduction\nOne loop per seed trains the teacher generator and the teacher discriminator "
       "(LSGAN + 100·L1) and, on every batch, the three students with their own optimisers against the teacher's "
       "output of that batch. FID on the test pairs is measured after every epoch; the table reports the final FID and "
       "the best one (choosing the best epoch on the test set is model selection, so that number is optimistic). "
       "At quick scale this runs two seeds."),
    code("var rep = new GanReproduction().runDetailed(sc, 1);\nrep.result().table()", "expect-html"),
    code("rep.result().claims()", "expect-html"),
    md("## What the generators draw\nRows: the edge map given as input, the teacher, the three students, and the real garment."),
    code("rep.runs().get(0).grid(rep.pairs(), 12)", "expect-image"),
    code("rep.runs().get(0).plot()", "expect-image"),
    md("## FID vs MACs, and ours vs the papers\nThe accuracy-vs-MACs plot of the other modules, with test FID (lower "
       "is better) on the vertical axis: filled circles are the final epoch, diamonds the best epoch chosen on the test set."),
    code("rep.result().plot()", "expect-image"),
    code("GanReproduction.oursVsPaper(rep.result())", "expect-html"),
]

write(cells, "06-gan.ipynb")
