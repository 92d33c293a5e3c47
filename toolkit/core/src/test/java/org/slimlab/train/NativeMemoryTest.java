package org.slimlab.train;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link NativeMemory#trim()} asks for a collection above its share of the physical-memory cap, and only then. */
class NativeMemoryTest {

    @Test
    void collectsOnlyAboveItsShareOfTheCapAndThatFreesUnreferencedArrays() throws Exception {
        long cap = Pointer.maxPhysicalBytes(), threshold = (long) (0.35 * cap);
        assumeTrue(cap > 0 && Pointer.physicalBytes() < threshold - (256L << 20), "resident size already near the threshold");
        NativeMemory.resetRateLimit();                // whatever trained earlier in this JVM
        long before = NativeMemory.collections();
        NativeMemory.trim();
        assertThat(NativeMemory.collections()).as("below the threshold: no collection").isEqualTo(before);

        List<INDArray> held = new ArrayList<>();      // 32 MB arrays, written so that their pages are resident
        while (Pointer.physicalBytes() < threshold + (64L << 20)) held.add(Nd4j.ones(DataType.FLOAT, 8L << 20));
        long high = Pointer.physicalBytes();
        held.clear();                                 // now garbage: only a collection frees their buffers
        NativeMemory.trim();
        assertThat(NativeMemory.collections()).as("above the threshold: one collection").isEqualTo(before + 1);
        NativeMemory.trim();
        assertThat(NativeMemory.collections()).as("rate-limited").isEqualTo(before + 1);
        long low = high;
        for (int i = 0; i < 50 && low >= high - (256L << 20); i++) { Thread.sleep(100); low = Pointer.physicalBytes(); }   // deallocator thread
        assertThat(low).as("resident bytes after the collection (was %d)", high).isLessThan(high - (256L << 20));
    }

    @Test
    void handsFreedPagesBackToTheSystemOnLinux() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"));
        assertThat(NativeMemory.releaseFreedPages()).as("malloc_trim resolved and called").isTrue();
    }
}
