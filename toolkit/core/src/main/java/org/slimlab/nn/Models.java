package org.slimlab.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Model builders: the small CNN of the speed anchor, VGG (configurable widths, CIFAR/Fashion-MNIST style and the
 * ImageNet VGG-16), CIFAR ResNets (ResNet-20/56 and any width/depth) and ImageNet ResNet-18/50 (torchvision
 * layout). Each builder seeds the weight initialisation, so the same seed gives the same weights.
 * <pre>{@code
 * var net = Models.cifarResnet(20, new int[]{16, 32, 64}, 1, 28, 10, 1);   // ResNet-20 on Fashion-MNIST
 * var vgg = Models.vgg(new int[]{16, 16, 0, 32, 32, 0, 64, 64, 0}, 1, 28, 10, 1);   // 0 = max-pool
 * }</pre>
 */
public final class Models {

    /** In a VGG configuration, this entry stands for a 2x2 max-pool. */
    public static final int POOL = 0;

    private Models() {}

    /** conv3x3(16)-BN-ReLU-maxpool2-conv3x3(32)-BN-ReLU-maxpool2-linear, for 1x28x28 (DL4J-NOTES.md §3's speed anchor). */
    public static Model smallCnn(int classes, long seed) {
        Init.seed(seed);
        Module root = new Sequential(
                new Conv2d(1, 16, 3, 1, 1, true), new BatchNorm2d(16), new ReLU(), Pool2d.max(2, 2),
                new Conv2d(16, 32, 3, 1, 1, true), new BatchNorm2d(32), new ReLU(), Pool2d.max(2, 2),
                new Flatten(), new Linear(32 * 7 * 7, classes));
        return new Model("small-cnn", root, 1, 28, 28);
    }

    /**
     * A VGG-style CNN with BN: 3x3 convs of the given widths, {@link #POOL} entries are 2x2 max-pools, then global
     * average pooling and one linear classifier.
     */
    public static Model vgg(int[] cfg, int inChannels, int size, int classes, long seed) {
        Init.seed(seed);
        List<Module> l = new ArrayList<>();
        int c = inChannels, last = inChannels;
        for (int w : cfg) {
            if (w == POOL) { l.add(Pool2d.max(2, 2)); continue; }
            l.add(new Conv2d(c, w, 3, 1, 1, false));
            l.add(new BatchNorm2d(w));
            l.add(new ReLU());
            c = last = w;
        }
        l.add(new GlobalAvgPool());
        l.add(new Linear(last, classes));
        StringBuilder name = new StringBuilder("vgg");
        for (int w : cfg) if (w != POOL) name.append('-').append(w);
        return new Model(name.toString(), new Sequential(l), inChannels, size, size);
    }

    /** VGG-16 for ImageNet as torchvision builds it (no BN; classifier 25088-4096-4096-classes with dropout). */
    public static Model vgg16(int classes, long seed) {
        Init.seed(seed);
        int[] cfg = {64, 64, POOL, 128, 128, POOL, 256, 256, 256, POOL, 512, 512, 512, POOL, 512, 512, 512, POOL};
        List<Module> f = new ArrayList<>();
        int c = 3;
        for (int w : cfg) {
            if (w == POOL) { f.add(Pool2d.max(2, 2)); continue; }
            f.add(new Conv2d(c, w, 3, 1, 1, true));
            f.add(new ReLU());
            c = w;
        }
        Module classifier = new Sequential(new Flatten(), new Linear(512 * 7 * 7, 4096), new ReLU(), new Dropout(0.5),
                new Linear(4096, 4096), new ReLU(), new Dropout(0.5), new Linear(4096, classes));
        return new Model("vgg16", new Sequential(List.of(new Sequential(f), classifier), List.of("features", "classifier")),
                3, 224, 224);
    }

    /**
     * CIFAR-style ResNet (He et al. 2016, section 4.2): conv3x3 stem, three stages of {@code (depth-2)/6} basic
     * blocks with the given widths (stride 1, 2, 2; 1x1 projection shortcuts where the shape changes), global
     * average pooling, linear. {@code depth} 20 and 56 give ResNet-20/56.
     */
    public static Model cifarResnet(int depth, int[] widths, int inChannels, int size, int classes, long seed) {
        if ((depth - 2) % 6 != 0) throw new IllegalArgumentException("CIFAR ResNet depth must be 6n+2, got " + depth);
        int n = (depth - 2) / 6;
        return resnetStages(new int[]{n, n, n}, widths, inChannels, size, classes, seed, "resnet" + depth);
    }

    /** A CIFAR-style ResNet with {@code blocks[s]} basic blocks in stage s (any number of stages). */
    public static Model resnetStages(int[] blocks, int[] widths, int inChannels, int size, int classes, long seed, String name) {
        if (blocks.length != widths.length) throw new IllegalArgumentException("one width per stage");
        Init.seed(seed);
        List<Module> top = new ArrayList<>();
        List<String> names = new ArrayList<>();
        top.add(new Sequential(Residual.convBn(inChannels, widths[0], 3, 1, 1, true)));
        names.add("stem");
        int c = widths[0];
        for (int s = 0; s < blocks.length; s++) {
            List<Module> stage = new ArrayList<>();
            for (int b = 0; b < blocks[s]; b++) {
                stage.add(new BasicBlock(c, widths[s], b == 0 && s > 0 ? 2 : 1));
                c = widths[s];
            }
            top.add(new Sequential(stage));
            names.add("layer" + (s + 1));
        }
        top.add(new GlobalAvgPool());
        names.add("pool");
        top.add(new Linear(c, classes));
        names.add("fc");
        return new Model(name, new Sequential(top, names), inChannels, size, size);
    }

    /** ImageNet ResNet-18 (torchvision): 11,689,512 params, 1.81 GMACs at 3x224x224. */
    public static Model resnet18(int classes, long seed) {
        return imagenetResnet(new int[]{2, 2, 2, 2}, false, classes, seed, "resnet18");
    }

    /** ImageNet ResNet-50 (torchvision v1.5): 25,557,032 params, 4.09 GMACs at 3x224x224. */
    public static Model resnet50(int classes, long seed) {
        return imagenetResnet(new int[]{3, 4, 6, 3}, true, classes, seed, "resnet50");
    }

    private static Model imagenetResnet(int[] blocks, boolean bottleneck, int classes, long seed, String name) {
        Init.seed(seed);
        List<Module> top = new ArrayList<>();
        List<String> names = new ArrayList<>();
        top.add(new Sequential(new Conv2d(3, 64, 7, 2, 3, false), new BatchNorm2d(64), new ReLU(),
                new Pool2d(Pool2d.Kind.MAX, 3, 2, 1)));
        names.add("stem");
        int c = 64;
        int[] widths = {64, 128, 256, 512};
        for (int s = 0; s < 4; s++) {
            List<Module> stage = new ArrayList<>();
            for (int b = 0; b < blocks[s]; b++) {
                int stride = b == 0 && s > 0 ? 2 : 1;
                if (bottleneck) {
                    stage.add(new Bottleneck(c, widths[s], stride));
                    c = widths[s] * Bottleneck.EXPANSION;
                } else {
                    stage.add(new BasicBlock(c, widths[s], stride));
                    c = widths[s];
                }
            }
            top.add(new Sequential(stage));
            names.add("layer" + (s + 1));
        }
        top.add(new GlobalAvgPool());
        names.add("avgpool");
        top.add(new Linear(c, classes));
        names.add("fc");
        return new Model(name, new Sequential(top, names), 3, 224, 224);
    }

    /**
     * A model by name, as the command line and notebooks name them: {@code small-cnn}, {@code vgg-small},
     * {@code vgg16}, {@code resnet20}, {@code resnet56}, {@code resnet18}, {@code resnet50}. CIFAR models take
     * {@code input} {C,H,W} (default Fashion-MNIST's 1x28x28); ImageNet models default to 3x224x224.
     */
    public static Model byName(String name, long[] input, int classes) {
        String n = name.toLowerCase(Locale.ROOT);
        long[] small = input == null ? new long[]{1, 28, 28} : input;
        return switch (n) {
            case "small-cnn", "smallcnn" -> smallCnn(classes, 1);
            case "vgg-small" -> vgg(new int[]{16, 16, POOL, 32, 32, POOL, 64, 64, POOL}, (int) small[0], (int) small[1], classes, 1);
            case "vgg16" -> withInput(vgg16(classes, 1), input);
            case "resnet20" -> cifarResnet(20, new int[]{16, 32, 64}, (int) small[0], (int) small[1], classes, 1);
            case "resnet56" -> cifarResnet(56, new int[]{16, 32, 64}, (int) small[0], (int) small[1], classes, 1);
            case "resnet18" -> withInput(resnet18(classes, 1), input);
            case "resnet50" -> withInput(resnet50(classes, 1), input);
            default -> throw new IllegalArgumentException("unknown model '" + name
                    + "'; known: small-cnn, vgg-small, vgg16, resnet20, resnet56, resnet18, resnet50");
        };
    }

    private static Model withInput(Model m, long[] input) {
        return input == null ? m : new Model(m.name(), m.root(), input);
    }
}
