package org.slimlab.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Image-to-image GAN networks (pix2pix / CycleGAN layouts, Isola et al. 2017, Zhu et al. 2017), sized for small
 * images: a ResNet generator and a conditional PatchGAN discriminator, both with instance normalisation.
 * <pre>{@code
 * Model g = GanModels.resnetGenerator(1, 1, 32, 6, 28, 1);     // teacher: ngf 32, 6 blocks
 * Model s = GanModels.resnetGenerator(1, 1, 8, 6, 28, 2);      // student: 4x fewer channels
 * Model d = GanModels.patchDiscriminator(2, 16, 28, 3);        // input = concat(condition, image)
 * }</pre>
 */
public final class GanModels {

    private GanModels() {}

    /**
     * ResNet generator: reflection-pad 3 + conv 7x7 (ngf), two stride-2 downsamplings (2 ngf, 4 ngf), {@code blocks}
     * residual blocks (conv 3x3 zero-padded, IN, ReLU, conv 3x3, IN; identity shortcut), two
     * transposed-conv upsamplings (k4 s2 p1), reflection-pad 3 + conv 7x7 to {@code outChannels}, tanh. Four
     * {@link Tap}s mark the features distillation reads: after the downsampling and after 1/3, 2/3 and 3/3 of the
     * blocks ({@code model.modules(Tap.class)}). {@code size} must be divisible by 4.
     */
    public static Model resnetGenerator(int inChannels, int outChannels, int ngf, int blocks, int size, long seed) {
        if (size % 4 != 0) throw new IllegalArgumentException("the generator downsamples twice: size must be divisible by 4, got " + size);
        if (blocks < 1 || ngf < 1) throw new IllegalArgumentException("need ngf >= 1 and blocks >= 1");
        Init.seed(seed);
        Module stem = new Sequential(new ReflectionPad2d(3), new Conv2d(inChannels, ngf, 7, 1, 0, true), new InstanceNorm2d(ngf), new ReLU());
        Module down = new Sequential(
                new Conv2d(ngf, 2 * ngf, 3, 2, 1, true), new InstanceNorm2d(2 * ngf), new ReLU(),
                new Conv2d(2 * ngf, 4 * ngf, 3, 2, 1, true), new InstanceNorm2d(4 * ngf), new ReLU(), new Tap());
        List<Module> res = new ArrayList<>();
        int c = 4 * ngf;
        for (int i = 1; i <= blocks; i++) {
            // zero padding inside the blocks: a reflection pad is ~8 slices + 2 concats in SameDiff and cost more than
            // the 3x3 conv it feeds at these sizes (measured); the stem and head keep reflection padding
            res.add(new Residual(new Sequential(new Conv2d(c, c, 3, 1, 1, true), new InstanceNorm2d(c), new ReLU(),
                    new Conv2d(c, c, 3, 1, 1, true), new InstanceNorm2d(c)), null, false));
            boolean tap = i == blocks || (i * 3) / blocks != ((i - 1) * 3) / blocks;   // after 1/3, 2/3, 3/3 of the blocks
            if (tap) res.add(new Tap());
        }
        Module up = new Sequential(
                new ConvTranspose2d(4 * ngf, 2 * ngf, 4, 2, 1, true), new InstanceNorm2d(2 * ngf), new ReLU(),
                new ConvTranspose2d(2 * ngf, ngf, 4, 2, 1, true), new InstanceNorm2d(ngf), new ReLU());
        Module head = new Sequential(new ReflectionPad2d(3), new Conv2d(ngf, outChannels, 7, 1, 0, true), new Tanh());
        Module root = new Sequential(List.of(stem, down, new Sequential(res), up, head), List.of("stem", "down", "blocks", "up", "head"));
        return new Model("resnet-generator-ngf" + ngf + "-b" + blocks, root, inChannels, size, size);
    }

    /**
     * Conditional PatchGAN discriminator for {@code size x size} inputs of {@code inChannels} (condition and image
     * concatenated): conv 4x4 s2 (ndf) + LeakyReLU 0.2, conv 4x4 s2 (2 ndf) + IN + LeakyReLU, conv 3x3 (4 ndf) + IN +
     * LeakyReLU, conv 3x3 to one score per patch ({@code size/4 x size/4}). The children of the root are named
     * {@code d1, d2, d3, head}: the input of {@code head} is the penultimate activation (what DCD compares).
     */
    public static Model patchDiscriminator(int inChannels, int ndf, int size, long seed) {
        if (size % 4 != 0) throw new IllegalArgumentException("the discriminator downsamples twice: size must be divisible by 4, got " + size);
        Init.seed(seed);
        Module d1 = new Sequential(new Conv2d(inChannels, ndf, 4, 2, 1, true), new LeakyReLU(0.2));
        Module d2 = new Sequential(new Conv2d(ndf, 2 * ndf, 4, 2, 1, true), new InstanceNorm2d(2 * ndf), new LeakyReLU(0.2));
        Module d3 = new Sequential(new Conv2d(2 * ndf, 4 * ndf, 3, 1, 1, true), new InstanceNorm2d(4 * ndf), new LeakyReLU(0.2));
        Module head = new Conv2d(4 * ndf, 1, 3, 1, 1, true);
        return new Model("patchgan-ndf" + ndf, new Sequential(List.of(d1, d2, d3, head), List.of("d1", "d2", "d3", "head")),
                inChannels, size, size);
    }
}
