package org.slimlab.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads IDX files (MNIST's format), gzipped or plain, detected by the gzip magic bytes. */
final class Idx {

    private Idx() {}

    /** Unsigned bytes of an idx3 image file: {@code [n][rows*cols]} flattened, plus the dimensions. */
    record Images(byte[] pixels, int count, int rows, int cols) {}

    static Images readImages(Path file) {
        return read(file, in -> {
            int magic = in.readInt();
            if (magic != 2051) throw corrupt(file, "magic " + magic + " is not an IDX image file's 2051");
            int n = in.readInt(), rows = in.readInt(), cols = in.readInt();
            byte[] px = new byte[Math.multiplyExact(n, rows * cols)];
            in.readFully(px);
            return new Images(px, n, rows, cols);
        });
    }

    static int[] readLabels(Path file) {
        return read(file, in -> {
            int magic = in.readInt();
            if (magic != 2049) throw corrupt(file, "magic " + magic + " is not an IDX label file's 2049");
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            int[] labels = new int[b.length];
            for (int i = 0; i < b.length; i++) labels[i] = b[i] & 0xff;
            return labels;
        });
    }

    /** Reads one IDX stream, turning I/O failures into one {@link DatasetException} naming the file. */
    private interface Reader<T> { T read(DataInputStream in) throws IOException; }

    private static <T> T read(Path file, Reader<T> reader) {
        try (DataInputStream in = open(file)) {
            return reader.read(in);
        } catch (EOFException e) {
            throw corrupt(file, "the file ends early (truncated)");
        } catch (ZipException e) {
            throw corrupt(file, "the gzip stream is damaged: " + e.getMessage());
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        boolean gz = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gz ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    private static DatasetException corrupt(Path file, String why) {
        return new DatasetException(file + " is corrupt: " + why
                + ". Reinstall it (apt-get install --reinstall dataset-fashion-mnist) or point SLIMLAB_FASHION_MNIST at good files.");
    }
}
