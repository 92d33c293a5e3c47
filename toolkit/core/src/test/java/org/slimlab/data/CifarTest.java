package org.slimlab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CIFAR binary format, on small files this test writes in that format. */
class CifarTest {

    /** n records of CIFAR-10 ({@code labelBytes} 1) or CIFAR-100 (2): label(s) then 3072 pixels R, G, B planes. */
    static byte[] records(int n, int labelBytes, int classes) {
        int rec = labelBytes + 3072;
        byte[] b = new byte[n * rec];
        for (int i = 0; i < n; i++) {
            b[i * rec + labelBytes - 1] = (byte) (i % classes);
            if (labelBytes == 2) b[i * rec] = (byte) (i % 20);
            for (int p = 0; p < 3072; p++) b[i * rec + labelBytes + p] = (byte) ((p / 1024) * 100 + i);   // channel-major
        }
        return b;
    }

    @Test
    void readsCifar10Batches(@TempDir Path dir) throws IOException {
        for (int i = 1; i <= 5; i++) Files.write(dir.resolve("data_batch_" + i + ".bin"), records(4, 1, 10));
        Files.write(dir.resolve("test_batch.bin"), records(3, 1, 10));
        ImageData d = Cifar.cifar10(dir);
        assertThat(d.train().size()).isEqualTo(20);
        assertThat(d.test().size()).isEqualTo(3);
        assertThat(d.shape()).containsExactly(3, 32, 32);
        assertThat(d.train().labels()).startsWith(0, 1, 2, 3, 0);
        // pixel (channel 2, y 0, x 0) of record 1 is 201/255
        assertThat(d.train().images().getDouble(1, 2, 0, 0)).isCloseTo(201 / 255.0, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void readsCifar100FineLabels(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("train.bin"), records(7, 2, 100));
        Files.write(dir.resolve("test.bin"), records(2, 2, 100));
        ImageData d = Cifar.cifar100(dir);
        assertThat(d.classes()).isEqualTo(100);
        assertThat(d.train().labels()).containsExactly(0, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void truncatedAndMissingFilesAreReported(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Cifar.cifar100(dir)).isInstanceOf(DatasetException.class).hasMessageContaining("train.bin");
        byte[] r = records(2, 2, 100);
        Files.write(dir.resolve("train.bin"), java.util.Arrays.copyOf(r, r.length - 5));
        Files.write(dir.resolve("test.bin"), records(1, 2, 100));
        assertThatThrownBy(() -> Cifar.cifar100(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("train.bin").hasMessageContaining("truncated");
    }
}
