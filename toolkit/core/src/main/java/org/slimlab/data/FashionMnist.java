package org.slimlab.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017) from Debian's {@code dataset-fashion-mnist} or a directory named by
 * {@code SLIMLAB_FASHION_MNIST}; files verified against {@code datasets/fashion-mnist.json}. Loaded once per JVM.
 */
public final class FashionMnist {

    /** Mean and standard deviation of the training pixels in [0, 1]. */
    public static final double MEAN = 0.2860, STD = 0.3530;

    public static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot"};

    private static final Map<Path, ImageData> CACHE = new ConcurrentHashMap<>();

    private FashionMnist() {}

    /** The directory files are read from: {@code SLIMLAB_FASHION_MNIST}, else the Debian package's. */
    public static Path directory() {
        String env = System.getenv("SLIMLAB_FASHION_MNIST");
        if (env == null || env.isBlank()) env = System.getProperty("slimlab.fashionMnist");
        return env == null || env.isBlank() ? Manifest.load("fashion-mnist").defaultDir() : Path.of(env);
    }

    /** Pixels in [0, 1], no normalisation, no augmentation. */
    public static ImageData raw() { return raw(directory()); }

    /** Pixels in [0, 1] from {@code dir}. */
    public static ImageData raw(Path dir) {
        return CACHE.computeIfAbsent(dir.toAbsolutePath(), FashionMnist::read);
    }

    /** Normalised with the training mean and std (the usual input of classifiers). */
    public static ImageData load() {
        return raw().normalize(new double[]{MEAN}, new double[]{STD});
    }

    private static ImageData read(Path dir) {
        Manifest m = Manifest.load("fashion-mnist");
        ImageSet train = set(m, dir, "train"), test = set(m, dir, "test");
        return new ImageData("fashion-mnist", train, test, null);
    }

    private static ImageSet set(Manifest m, Path dir, String split) {
        Path imgFile = m.locate(dir, m.entry(split + "-images")), lblFile = m.locate(dir, m.entry(split + "-labels"));
        Idx.Images img = Idx.readImages(imgFile);
        int[] labels = Idx.readLabels(lblFile);
        if (labels.length != img.count())
            throw new DatasetException(imgFile + " has " + img.count() + " images but " + lblFile + " has " + labels.length + " labels");
        return new ImageSet(toUnitFloat(img.pixels(), img.count(), 1, img.rows(), img.cols()), labels, 10);
    }

    /** Unsigned bytes to float32 in [0, 1], shaped {@code [n, c, h, w]}. */
    static INDArray toUnitFloat(byte[] px, int n, int c, int h, int w) {
        INDArray u8 = Nd4j.createFromArray(px).reshape(n, c, h, w);
        // bytes are signed in Java: v < 0 means v + 256
        INDArray f = u8.castTo(DataType.FLOAT);
        INDArray neg = f.lt(0).castTo(DataType.FLOAT).muli(256);
        return f.addi(neg).divi(255f);
    }
}
