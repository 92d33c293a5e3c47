package org.slimlab.kernel.execution;

import jdk.jshell.execution.DirectExecutionControl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs JShell snippets in this JVM (so statics such as the display runtime and {@code LiveViews} are shared with
 * user code) on one long-lived worker thread, so that the kernel can interrupt it.
 *
 * <p>Like IJava's execution control, {@link #invoke(Method)} keeps the actual result object and hands JShell a key
 * instead of the value's string; {@link #takeResult(String)} gives the object back for rendering. The last
 * exception thrown by user code is kept too ({@link #takeThrown()}), so errors show the real exception with its
 * causes. Interrupting sets the worker's interrupt flag (SlimLab's trainer checks it between steps); if the code
 * is still running after {@code stopAfterMillis}, the worker is stopped the hard way ({@link Thread#stop()}, which
 * JShell's own {@code LocalExecutionControl} uses too).
 */
public final class ExecutionEngine extends DirectExecutionControl {

    /** Exception "class name" (with spaces, so no real class collides) reported for an interrupted snippet. */
    public static final String INTERRUPTED_NAME = "Execution interrupted";

    private static final Object NULL = new Object();

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "slimlab-cell");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slimlab-interrupt-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong invocation = new AtomicLong();
    private final long stopAfterMillis;

    private volatile Thread running;
    private volatile boolean interruptRequested;
    private volatile Throwable lastThrown;

    public ExecutionEngine(long stopAfterMillis) {
        this.stopAfterMillis = stopAfterMillis;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        long id = invocation.incrementAndGet();
        interruptRequested = false; // an interrupt only ever targets the snippet running when it comes
        ClassLoader userLoader = doitMethod.getDeclaringClass().getClassLoader();
        Future<Object> task = worker.submit(() -> {
            Thread.interrupted(); // a stale flag from an earlier interrupt must not hit this snippet
            Thread self = Thread.currentThread();
            self.setContextClassLoader(userLoader);
            running = self;
            try {
                return doitMethod.invoke(null);
            } finally {
                running = null;
                Thread.interrupted();
            }
        });
        try {
            Object value = task.get();
            String key = UUID.randomUUID().toString();
            results.put(key, value == null ? NULL : value);
            return key;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException && cause.getCause() != null) cause = cause.getCause();
            if (interruptRequested && (cause instanceof ThreadDeath || cause instanceof InterruptedException)) {
                throw new UserException("Execution interrupted", INTERRUPTED_NAME, cause.getStackTrace());
            }
            lastThrown = cause;
            throwConvertedInvocationException(cause);
            throw new IllegalStateException("unreachable", cause);
        } catch (InterruptedException e) {
            // the kernel thread waiting for the result was interrupted: stop the worker too
            interrupt();
            Thread.currentThread().interrupt();
            throw new UserException("Execution interrupted", INTERRUPTED_NAME, e.getStackTrace());
        }
    }

    /** The object a snippet produced, by the key {@link #invoke(Method)} returned; each key is taken once. */
    public Object takeResult(String key) {
        Object value = results.remove(key);
        if (value == null) throw new IllegalStateException("No result with key " + key);
        return value == NULL ? null : value;
    }

    /** The object stored under {@code key}, or {@code key} itself if there is none (JShell's own value text). */
    public Object takeResultOr(String key) {
        Object value = results.remove(key);
        if (value == null) return key;
        return value == NULL ? null : value;
    }

    /** Forgets results nobody took. */
    public void clearResults() {
        results.clear();
    }

    /** The exception the last failing snippet threw (then forgotten), or {@code null}. */
    public Throwable takeThrown() {
        Throwable t = lastThrown;
        lastThrown = null;
        return t;
    }

    /** True once if an interrupt was requested since the last call (the evaluator then skips the rest of a cell). */
    public boolean consumeInterruptRequest() {
        boolean was = interruptRequested;
        interruptRequested = false;
        return was;
    }

    /** Whether the calling thread is the one running snippets (user code). */
    public boolean isCellThread() {
        return running == Thread.currentThread();
    }

    /** Whether a snippet is running now. */
    public boolean isRunning() {
        return running != null;
    }

    /** Interrupts the running snippet; stops its thread if it is still running after the grace period. */
    public void interrupt() {
        Thread t = running;
        if (t == null) return;
        interruptRequested = true;
        long id = invocation.get();
        t.interrupt();
        watchdog.schedule(() -> stopIfStillRunning(t, id), stopAfterMillis, TimeUnit.MILLISECONDS);
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void stopIfStillRunning(Thread t, long id) {
        if (running == t && invocation.get() == id) t.stop();
    }

    @Override
    public void stop() {
        interrupt();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        watchdog.shutdownNow();
        super.close();
    }
}
