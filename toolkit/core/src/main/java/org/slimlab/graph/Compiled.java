package org.slimlab.graph;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.nn.Param;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A built SameDiff graph of a model for one mode, objective, mask set and subnet; the trainer's unit of execution.
 * Its variables share the model's parameter arrays, so updating a parameter in place updates every graph.
 */
public final class Compiled {

    /** What one pass returned: the loss (NaN without objective), the logits, gradients and any extra outputs. */
    public record Result(double loss, INDArray logits, Map<Param, INDArray> grads, Map<String, INDArray> outputs) {}

    public static final String INPUT = "input", LABELS = "labels", LOGITS = "logits", LOSS = "loss";

    private final SameDiff sd;
    private final Graph graph;
    private final Objective objective;
    private final Set<Param> used;
    private boolean gradReady;

    Compiled(SameDiff sd, Graph graph, Objective objective) {
        this.sd = sd;
        this.graph = graph;
        this.objective = objective;
        this.used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        this.used.addAll(graph.params());
    }

    public SameDiff sd() { return sd; }

    public Graph graph() { return graph; }

    /** Whether the graph uses this parameter (a depth subnet does not use a skipped block's). */
    public boolean uses(Param p) { return used.contains(p); }

    /** Logits for a batch (no gradients). */
    public INDArray logits(INDArray x) {
        INDArray out = sd.output(feed(x, null), LOGITS).get(LOGITS);
        capArrayCaches();
        return out;
    }

    /** Any named outputs for a batch (no gradients). */
    public Map<String, INDArray> outputs(INDArray x, INDArray labels, String... names) {
        Map<String, INDArray> out = sd.output(feed(x, labels), names);
        capArrayCaches();
        return out;
    }

    /**
     * One forward and backward pass: the loss, logits, the gradients of the parameters in {@code wrt} that this
     * graph uses, and the extra outputs requested (e.g. batch statistics, named intermediate variables).
     */
    public Result run(INDArray x, INDArray labels, Collection<Param> wrt, Collection<String> extraOutputs) {
        if (objective == null) throw new IllegalStateException("this graph has no objective (built for inference)");
        ensureGradFunction();
        List<Param> params = wrt.stream().filter(used::contains).toList();
        List<String> outs = new ArrayList<>(List.of(LOSS, LOGITS));
        outs.addAll(batchStatOutputs());
        outs.addAll(extraOutputs);
        OutAndGrad og = sd.calculateGradientsAndOutputs(feed(x, labels), outs,
                params.stream().map(Param::name).collect(Collectors.toList()));
        capArrayCaches();
        Map<Param, INDArray> grads = new LinkedHashMap<>();
        for (Param p : params) grads.put(p, og.getGradients().get(p.name()));
        Map<String, INDArray> o = og.getOutputs();
        return new Result(o.get(LOSS).getDouble(0), o.get(LOGITS), grads, o);
    }

    /** Folds the batch statistics of a training pass on {@code batchSize} images into the BN running statistics. */
    public void foldBatchStats(Map<String, INDArray> outputs, long batchSize, double momentum) {
        for (Graph.BatchStat s : graph.batchStats()) {
            org.slimlab.nn.Tensor in = graph.inputOf(s.layer());
            long perChannel = batchSize * in.numel() / in.shape()[0];
            s.layer().updateRunning(outputs.get(s.mean()), outputs.get(s.var()), perChannel, momentum);
        }
    }

    /** Names of the batch-statistics outputs (for forward-only passes that recalibrate BN). */
    public List<String> batchStatOutputs() {
        List<String> n = new ArrayList<>();
        for (Graph.BatchStat s : graph.batchStats()) { n.add(s.mean()); n.add(s.var()); }
        return n;
    }

    /** Number of BN layers whose statistics a training pass returns. */
    public int batchStatCount() { return graph.batchStats().size(); }

    /** The placeholder values for a batch: input, labels, objective extras and fresh dropout masks. */
    public Map<String, INDArray> feed(INDArray x, INDArray labels) {
        Map<String, INDArray> m = new HashMap<>();
        m.put(INPUT, x.dataType() == graph.dtype() ? x : x.castTo(graph.dtype()));
        if (labels != null && sd.hasVariable(LABELS))
            m.put(LABELS, labels.dataType() == graph.dtype() ? labels : labels.castTo(graph.dtype()));
        if (objective != null && labels != null) m.putAll(objective.feed(x, labels));
        long batch = x.size(0);
        for (Graph.RandomMask r : graph.randomMasks()) {
            long[] shape = new long[r.shape().length + 1];
            shape[0] = batch;
            System.arraycopy(r.shape(), 0, shape, 1, r.shape().length);
            INDArray keep = Nd4j.rand(graph.dtype(), shape).gt(r.p()).castTo(graph.dtype()).divi(1 - r.p());
            m.put(r.name(), keep);
        }
        return m;
    }

    /**
     * The intermediate arrays of the last pass (activations and their gradients) that SameDiff M2.1 leaves in its
     * sessions instead of recycling: only ARRAY-type values that own their buffer (no views, nothing sharing a
     * buffer with a variable, constant or placeholder). Closing them when the step ends keeps off-heap memory flat;
     * otherwise each training step maps ~170 MB of fresh pages (small CNN, batch 128) that only the garbage collector
     * frees, and allocation plus first-touch page faults cost about as much as the ops (docs/benchmarks.md).
     * Empty if the session internals cannot be read (another ND4J version) or with -Dslimlab.releaseIntermediates=false.
     */
    public List<INDArray> stepIntermediates() {
        if (!RELEASE_INTERMEDIATES || NODE_VALUES == null) return List.of();
        List<SameDiff> graphs = new ArrayList<>(List.of(sd));
        if (sd.getFunction("grad") != null) graphs.add(sd.getFunction("grad"));
        Set<Long> keep = new java.util.HashSet<>();
        for (SameDiff g : graphs)
            for (org.nd4j.autodiff.samediff.SDVariable v : g.variables())
                if (v.getVariableType() != org.nd4j.autodiff.samediff.VariableType.ARRAY && v.getArr() != null
                        && !v.getArr().wasClosed() && v.getArr().data() != null)
                    keep.add(v.getArr().data().address());
        Set<INDArray> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<INDArray> out = new ArrayList<>();
        try {
            for (SameDiff g : graphs)
                for (org.nd4j.autodiff.samediff.internal.InferenceSession session : g.getSessions().values()) {
                    Set<Long> cached = cachedIds(session);   // handed to the session's array cache: not ours to close
                    @SuppressWarnings("unchecked")
                    Map<?, org.nd4j.autodiff.samediff.config.SDValue> values =
                            (Map<?, org.nd4j.autodiff.samediff.config.SDValue>) NODE_VALUES.get(session);
                    for (Map.Entry<?, org.nd4j.autodiff.samediff.config.SDValue> e : values.entrySet()) {
                        String name = ((org.nd4j.autodiff.samediff.internal.AbstractSession.VarId) e.getKey()).getVariable();
                        org.nd4j.autodiff.samediff.SDVariable v = g.hasVariable(name) ? g.getVariable(name) : null;
                        if (v == null || v.getVariableType() != org.nd4j.autodiff.samediff.VariableType.ARRAY) continue;
                        org.nd4j.autodiff.samediff.config.SDValue val = e.getValue();
                        INDArray a = val == null || val.getSdValueType() != org.nd4j.autodiff.samediff.config.SDValueType.TENSOR
                                ? null : val.getTensorValue();
                        if (a == null || a.wasClosed() || a.isView() || !a.closeable() || a.data() == null || cached.contains(a.getId())
                                || a.data().originalDataBuffer() != null || !keep.add(a.data().address()) || !seen.add(a))
                            continue;
                        out.add(a);
                    }
                }
        } catch (IllegalAccessException | RuntimeException e) {
            return List.of();   // internals changed: fall back to the garbage collector
        }
        return out;
    }

    /**
     * Stops this graph's sessions from caching freed arrays for reuse (SameDiff's ArrayCacheMemoryMgr keeps up to a
     * quarter of physical memory per session). Worth it for graphs run now and then, such as the many subnet graphs
     * of stimulative training: each would otherwise sit on its own cache, and 27 of them exhausted a 6 GB process.
     * Call after a run (sessions exist from the first run on); later runs allocate fresh arrays and release them.
     */
    public void disableArrayCache() {
        List<SameDiff> graphs = new ArrayList<>(List.of(sd));
        if (sd.getFunction("grad") != null) graphs.add(sd.getFunction("grad"));
        for (SameDiff g : graphs)
            for (org.nd4j.autodiff.samediff.internal.InferenceSession session : g.getSessions().values())
                if (!(session.getMmgr() instanceof org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr m && !m.isEnableCache())) {
                    session.getMmgr().close();
                    // not NoOpMemoryMgr: its release() drops arrays to the garbage collector, and a run of ST passes
                    // then swings by gigabytes of native memory; a disabled cache closes each released array at once
                    var closing = new org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr();
                    closing.setEnableCache(false);
                    session.setMmgr(closing);
                }
    }

    /**
     * Caps the array cache of each of this graph's sessions at {@link #ARRAY_CACHE_BYTES}. SameDiff M2.1 sizes a
     * session's cache at a quarter of JavaCPP's {@code maxbytes} (1.5 GB under a 6 GB limit) and fills it with arrays
     * of every shape it has seen (training batches, the last short batch, evaluation batches), so a long run holding
     * several graphs keeps gigabytes of idle arrays resident. A step's reusable working set is far smaller (~170 MB for
     * a small CNN at batch 128). Sessions exist only after a first pass, so this runs after each one (a map lookup).
     */
    private void capArrayCaches() {
        if (ARRAY_CACHE_BYTES < 0) return;
        capArrayCaches(sd);
        if (gradReady) capArrayCaches(sd.getFunction("grad"));
    }

    private static void capArrayCaches(SameDiff g) {
        if (g == null) return;
        for (org.nd4j.autodiff.samediff.internal.InferenceSession session : g.getSessions().values())
            if (session.getMmgr() instanceof org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr m
                    && m.getMaxCacheBytes() > ARRAY_CACHE_BYTES)
                m.setMaxCacheBytes(ARRAY_CACHE_BYTES);
    }

    /** Per-session array cache limit: {@code -Dslimlab.arrayCacheMB} (default 256; negative keeps SameDiff's). */
    static final long ARRAY_CACHE_BYTES = Long.getLong("slimlab.arrayCacheMB", 256) * 1024 * 1024;

    private static final boolean RELEASE_INTERMEDIATES =
            !"false".equalsIgnoreCase(System.getProperty("slimlab.releaseIntermediates"));
    private static final java.lang.reflect.Field NODE_VALUES = nodeValuesField();

    private static final java.lang.reflect.Field LRU_CACHE = field(org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr.class, "lruCache");

    private static java.lang.reflect.Field nodeValuesField() {
        return field(org.nd4j.autodiff.samediff.internal.AbstractSession.class, "nodeValueOutputs");
    }

    private static java.lang.reflect.Field field(Class<?> owner, String name) {
        try {
            java.lang.reflect.Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Ids of the arrays an inference pass released into this session's array cache (they stay in its node values).
     * Closing one of them breaks the cache's next eviction ("Op.X argument was closed before call").
     */
    @SuppressWarnings("unchecked")
    private static Set<Long> cachedIds(org.nd4j.autodiff.samediff.internal.InferenceSession session) throws IllegalAccessException {
        if (!(session.getMmgr() instanceof org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr m)) return Set.of();
        if (LRU_CACHE == null) throw new IllegalStateException("ArrayCacheMemoryMgr internals changed");
        return (Set<Long>) LRU_CACHE.get(m);   // read in place: nothing runs on the session while we look
    }

    /** SameDiff prints a line per differentiated op to System.out while it builds the gradient graph; hide it. */
    synchronized void ensureGradFunction() {
        if (gradReady) return;
        PrintStream out = System.out;
        synchronized (System.class) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(out);
            }
        }
        gradReady = true;
    }
}
