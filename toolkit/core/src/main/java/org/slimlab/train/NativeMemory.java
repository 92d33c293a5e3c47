package org.slimlab.train;

import org.bytedeco.javacpp.Pointer;

/**
 * Keeps a training process's resident memory near its working set. ND4J frees an array's off-heap buffer only when
 * the garbage collector collects the array object (unless it is closed explicitly), and the arrays' Java objects are
 * so small that the heap rarely fills: left alone, the resident size climbs to JavaCPP's physical-memory cap
 * ({@code org.bytedeco.javacpp.maxphysicalbytes}) before anything is freed (measured: 13.5 GB for a 105 k-parameter
 * ViT under a 13 GB cap, docs/benchmarks.md). Training loops call {@link #trim()} after each step: when the
 * resident size is above a fraction of the cap (system property {@code slimlab.gcFraction}, default 0.35; 0 turns it
 * off) it asks for a collection, at most once every 10 seconds (a collection costs ~0.1 s), and two seconds later, on
 * a background thread, hands the pages it freed back to the operating system ({@link #releaseFreedPages()}): ND4J's
 * deallocator thread frees the collected arrays' buffers only after the collection's reference processing.
 */
public final class NativeMemory {

    private static final double FRACTION = Double.parseDouble(System.getProperty("slimlab.gcFraction", "0.35"));
    private static final long MIN_INTERVAL_NANOS = 10_000_000_000L;
    private static volatile long lastCollection = System.nanoTime() - MIN_INTERVAL_NANOS;
    private static volatile long collections;

    private NativeMemory() {}

    /** Asks for a garbage collection if the resident size is above the threshold and none was asked for recently. */
    public static void trim() {
        if (FRACTION <= 0) return;
        long now = System.nanoTime();
        if (now - lastCollection < MIN_INTERVAL_NANOS) return;
        long cap = Pointer.maxPhysicalBytes();
        if (cap <= 0 || Pointer.physicalBytes() < FRACTION * cap) return;
        lastCollection = now;
        collections++;
        System.gc();
        if (MALLOC_TRIM != null) TRIMMER.schedule(NativeMemory::releaseFreedPages, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static final java.util.concurrent.ScheduledExecutorService TRIMMER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "slimlab-malloc-trim");
                t.setDaemon(true);
                return t;
            });

    private static final com.sun.jna.Function MALLOC_TRIM = mallocTrim();

    /**
     * Hands the pages the C allocator holds free back to the operating system ({@code malloc_trim(0)}, glibc).
     * Freed native arrays stay in glibc's per-thread arenas otherwise: in a long run the resident size ratcheted up
     * by ~1 GB per 9-minute arm (8.7 of 9.3 GB resident in 163 arena heaps of 64 MB) until JavaCPP refused to
     * allocate ("physical memory usage is too high"), although the arrays themselves had been collected. Returns
     * false where there is no glibc.
     */
    public static boolean releaseFreedPages() {
        if (MALLOC_TRIM == null) return false;
        MALLOC_TRIM.invokeInt(new Object[]{0});
        return true;
    }

    private static com.sun.jna.Function mallocTrim() {
        if (!com.sun.jna.Platform.isLinux()) return null;
        try {
            return com.sun.jna.NativeLibrary.getInstance("libc.so.6").getFunction("malloc_trim");
        } catch (Throwable e) {   // not glibc (musl), no JNA native part: collections alone
            return null;
        }
    }

    /** Forgets the last collection's time (tests). */
    static void resetRateLimit() { lastCollection = System.nanoTime() - MIN_INTERVAL_NANOS; }

    /** Collections {@link #trim()} asked for so far in this process. */
    public static long collections() { return collections; }
}
