package org.slimlab.cli;

import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code slimlab count MODEL [--input CxHxW]}: the layer table, then {@code MACs: <n> params: <n>}. */
@Command(name = "count", description = "Count MACs and parameters of a model (symbolic, no data needed).")
final class CountCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "small-cnn, vgg-small, vgg16, resnet20, resnet56, resnet18, resnet50")
    String model;

    @Option(names = "--input", description = "input shape CxHxW (default: the model's own, e.g. 1x28x28 or 3x224x224)")
    String input;

    @Option(names = "--classes", description = "number of classes (default 10 for small models, 1000 for ImageNet ones)")
    Integer classes;

    @Override
    public Integer call() {
        long[] in = input == null ? null : Arrays.stream(input.toLowerCase().split("x")).mapToLong(Long::parseLong).toArray();
        if (in != null && in.length != 3) throw new IllegalArgumentException("--input must be CxHxW, e.g. 3x32x32");
        Model m = Models.byName(model, in, classes != null ? classes : (model.matches("resnet18|resnet50|vgg16") ? 1000 : 10));
        System.out.println(m.summary().printAll());
        System.out.println("MACs: " + m.macs() + " params: " + m.params());
        return 0;
    }
}
