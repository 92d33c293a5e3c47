package org.slimlab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 / CIFAR-100 in the binary version (Krizhevsky 2009), from files the user provides. Records are
 * {@code <label><3072 bytes>} (CIFAR-10: data_batch_1..5.bin, test_batch.bin) or {@code <coarse><fine><3072 bytes>}
 * (CIFAR-100: train.bin, test.bin; the fine label is used). Pixels come out in [0, 1]; normalise with
 * {@link ImageData#normalize} and the constants below.
 */
public final class Cifar {

    public static final double[] MEAN10 = {0.4914, 0.4822, 0.4465}, STD10 = {0.2470, 0.2435, 0.2616};
    public static final double[] MEAN100 = {0.5071, 0.4865, 0.4409}, STD100 = {0.2673, 0.2564, 0.2762};

    private static final int PIXELS = 3 * 32 * 32;

    private Cifar() {}

    /** CIFAR-10 from {@code dir} (the folder {@code cifar-10-batches-bin}). */
    public static ImageData cifar10(Path dir) {
        List<Path> train = new ArrayList<>();
        for (int i = 1; i <= 5; i++) train.add(dir.resolve("data_batch_" + i + ".bin"));
        return new ImageData("cifar-10", read(train, 1, 10), read(List.of(dir.resolve("test_batch.bin")), 1, 10), null);
    }

    /** CIFAR-100 (fine labels) from {@code dir} (the folder {@code cifar-100-binary}). */
    public static ImageData cifar100(Path dir) {
        return new ImageData("cifar-100", read(List.of(dir.resolve("train.bin")), 2, 100),
                read(List.of(dir.resolve("test.bin")), 2, 100), null);
    }

    /** Reads binary-format records from {@code files}; {@code labelBytes} 1 (CIFAR-10) or 2 (CIFAR-100). */
    static ImageSet read(List<Path> files, int labelBytes, int classes) {
        int record = labelBytes + PIXELS;
        List<byte[]> chunks = new ArrayList<>();
        int n = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f))
                throw new DatasetException("CIFAR file " + f + " not found. Fix: download the binary version of CIFAR-"
                        + classes + " yourself and pass its extracted folder (the one holding " + f.getFileName() + ").");
            byte[] b;
            try {
                b = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new DatasetException("cannot read " + f + ": " + e.getMessage(), e);
            }
            if (b.length == 0 || b.length % record != 0)
                throw new DatasetException(f + " has " + b.length + " bytes, not a whole number of " + record
                        + "-byte CIFAR-" + classes + " records (truncated or wrong file). Fix: replace it with the original binary-version file.");
            chunks.add(b);
            n += b.length / record;
        }
        byte[] px = new byte[n * PIXELS];
        int[] labels = new int[n];
        int at = 0;
        for (byte[] b : chunks) {
            for (int r = 0; r < b.length / record; r++, at++) {
                int label = b[r * record + labelBytes - 1] & 0xff;
                if (label >= classes) throw new DatasetException("record " + at + " has label " + label + " >= " + classes + ": corrupt file");
                labels[at] = label;
                System.arraycopy(b, r * record + labelBytes, px, at * PIXELS, PIXELS);
            }
        }
        return new ImageSet(FashionMnist.toUnitFloat(px, n, 3, 32, 32), labels, classes);
    }
}
