package org.slimlab.cli;

import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code slimlab data verify}: checks the data set files against their manifests (sizes, sha256) and loads them. */
@Command(name = "data", description = "Verify data set files against datasets/*.json and load them.")
final class DataCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "verify", description = "verify")
    String action;

    @Override
    public Integer call() {
        if (!action.equals("verify")) throw new IllegalArgumentException("usage: slimlab data verify");
        long t0 = System.nanoTime();
        ImageData d = FashionMnist.raw();
        System.out.printf("fashion-mnist OK (%s): %s, loaded in %.1f s%n", FashionMnist.directory(), d, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
