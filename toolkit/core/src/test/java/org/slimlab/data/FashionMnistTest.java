package org.slimlab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fashion-MNIST from the Debian package, verified by the manifest; bad files give one clear error. */
class FashionMnistTest {

    static final Path DEBIAN = FashionMnist.directory();

    @Test
    void loadsBothSplitsWithTheManifestChecked() {
        ImageData d = FashionMnist.raw();
        assertThat(d.train().size()).isEqualTo(60_000);
        assertThat(d.test().size()).isEqualTo(10_000);
        assertThat(d.shape()).containsExactly(1, 28, 28);
        assertThat(d.train().images().minNumber().doubleValue()).isEqualTo(0.0);
        assertThat(d.train().images().maxNumber().doubleValue()).isEqualTo(1.0);
        int[] counts = new int[10];
        for (int l : d.train().labels()) counts[l]++;
        assertThat(counts).containsOnly(6000);   // Fashion-MNIST is balanced
        // in float64: ND4J's float32 mean over 47M values is off by 1% (0.2889)
        double mean = d.train().images().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
        assertThat(mean).isCloseTo(FashionMnist.MEAN, org.assertj.core.api.Assertions.within(1e-3));
    }

    @Test
    void plainIdxFilesWorkToo(@TempDir Path dir) throws IOException {
        for (String f : new String[]{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(DEBIAN.resolve(f + ".gz")))) {
                Files.copy(in, dir.resolve(f));
            }
        ImageData d = FashionMnist.raw(dir);
        assertThat(d.test().labels()).isEqualTo(FashionMnist.raw().test().labels());
    }

    @Test
    void missingFileNamesTheFileAndTheFix(@TempDir Path dir) {
        assertThatThrownBy(() -> FashionMnist.raw(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("train-images-idx3-ubyte").hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining("SLIMLAB_FASHION_MNIST");
    }

    @Test
    void truncatedFileIsReported(@TempDir Path dir) throws IOException {
        copyAll(dir);
        Path f = dir.resolve("train-labels-idx1-ubyte.gz");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length / 2));
        assertThatThrownBy(() -> FashionMnist.raw(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("truncated");
    }

    @Test
    void corruptFileIsReported(@TempDir Path dir) throws IOException {
        copyAll(dir);
        Path f = dir.resolve("t10k-labels-idx1-ubyte.gz");
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 0x55;
        Files.write(f, b);
        assertThatThrownBy(() -> FashionMnist.raw(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("corrupt").hasMessageContaining("sha256");
    }

    @Test
    void seededBatchesAreReproducibleAndCoverTheSet() {
        ImageSet s = FashionMnist.load().train().head(300);
        int[] a = Arrays.stream(first(s, 5)).toArray(), b = first(s, 5), c = first(s, 6);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        int n = 0;
        for (Batch batch : s.batches(64, 1, Augmentation.flipCrop(2))) {
            assertThat(batch.x().shape()).containsExactly(batch.size(), 1, 28, 28);
            assertThat(batch.y().sumNumber().intValue()).isEqualTo(batch.size());
            n += batch.size();
        }
        assertThat(n).isEqualTo(300);
    }

    @Test
    void flipCropKeepsShapeAndContent() {
        ImageSet s = FashionMnist.raw().test().head(16);
        var x = s.images();
        var y = Augmentation.flipCrop(2).apply(x, new java.util.Random(3));
        assertThat(y.shape()).isEqualTo(x.shape());
        // crops move pixels, flips mirror them: the total intensity changes only by what falls off the edge
        assertThat(y.sumNumber().doubleValue()).isLessThanOrEqualTo(x.sumNumber().doubleValue() + 1e-3);
        var flipped = Augmentation.flip().apply(x, new java.util.Random(0));
        assertThat(flipped.sumNumber().doubleValue()).isCloseTo(x.sumNumber().doubleValue(), org.assertj.core.api.Assertions.within(1e-2));
    }

    static int[] first(ImageSet s, long seed) {
        return s.batches(10, seed, null).iterator().next().labels();
    }

    static void copyAll(Path dir) throws IOException {
        for (String f : new String[]{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
            Files.copy(DEBIAN.resolve(f), dir.resolve(f));
    }
}
