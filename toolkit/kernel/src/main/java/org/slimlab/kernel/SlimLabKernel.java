package org.slimlab.kernel;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import org.slimlab.kernel.execution.CellRunner;
import org.slimlab.kernel.execution.CodeEvaluator;
import org.slimlab.kernel.execution.ErrorFormatter;
import org.slimlab.kernel.execution.Preload;
import org.slimlab.kernel.magics.ClasspathMagics;
import org.slimlab.kernel.magics.LoadMagic;
import org.slimlab.kernel.magics.MagicRegistry;
import org.slimlab.kernel.magics.MavenMagics;
import org.slimlab.kernel.magics.MavenResolver;
import org.slimlab.kernel.magics.TimeMagics;
import org.slimlab.kernel.render.NotebookLiveView;
import org.slimlab.kernel.render.Renderers;
import org.slimlab.kernel.runtime.DisplaySink;
import org.slimlab.kernel.runtime.Kernel;
import org.slimlab.ui.LiveViews;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The SlimLab Jupyter kernel: Java cells evaluated by JShell in this JVM, IJava-compatible display statics and
 * magics, renderers for charts, tables, images and arrays, and SlimLab's live progress as one display updated in
 * place. JShell starts (and the preload imports compile) in the background right away, so kernel_info answers at
 * once and the first cell finds a warm compiler.
 */
public final class SlimLabKernel extends BaseKernel implements Kernel.Services {

    /** Grace period after an interrupt before the cell's thread is stopped. */
    public static final long STOP_AFTER_MILLIS = 1500;
    /** Live views update the notebook at most this often. */
    public static final long LIVE_VIEW_INTERVAL_MILLIS = 250;

    private record Session(CodeEvaluator evaluator, CellRunner runner, ErrorFormatter errors) {}

    private final MagicRegistry magics = new MagicRegistry();
    private final CompletableFuture<Session> session;
    private final LanguageInfo languageInfo;
    private volatile DisplaySink displaySink;

    public SlimLabKernel() {
        Renderers.registerAll(getRenderer());
        this.displaySink = new DisplaySink() {
            @Override
            public void display(DisplayData data) {
                getIO().display.display(data);
            }

            @Override
            public void update(String id, DisplayData data) {
                getIO().display.updateDisplay(id, data);
            }
        };
        this.languageInfo = new LanguageInfo.Builder("java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("java")
                .build();
        this.session = CompletableFuture.supplyAsync(this::start);
    }

    private Session start() {
        CodeEvaluator evaluator = CodeEvaluator.create(List.of(), STOP_AFTER_MILLIS);
        CellRunner runner = new CellRunner(evaluator, magics);
        new ClasspathMagics(evaluator::addToClasspath, evaluator::addedClasspath).registerInto(magics);
        new MavenMagics(MavenResolver.fromEnvironment(), evaluator::addToClasspath).registerInto(magics);
        new LoadMagic(runner::run).registerInto(magics);
        new TimeMagics(runner::run, evaluator::eval).registerInto(magics);
        magics.line("lsmagic", (args, raw) -> {
            System.out.println("Line magics: %" + String.join("  %", magics.lineNames()));
            System.out.println("Cell magics: %%" + String.join("  %%", magics.cellNames()));
            return null;
        });
        evaluator.evalQuietly(Preload.snippets(String.join(java.io.File.pathSeparator, org.slimlab.kernel.execution.Classpath.ofThisJvm())));
        return new Session(evaluator, runner, new ErrorFormatter(evaluator::isUserException));
    }

    /** Makes this kernel the one the runtime statics and SlimLab's live views talk to. */
    public void install() {
        Kernel.register(this);
        LiveViews.install(title -> new NotebookLiveView(title, displaySink, LIVE_VIEW_INTERVAL_MILLIS));
    }

    /** Waits for JShell to be ready (start-up runs in the background). */
    public CellRunner runner() {
        return session().runner();
    }

    private Session session() {
        try {
            return session.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while JShell starts", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("JShell failed to start: " + e.getCause(), e.getCause());
        }
    }

    /** Replaces where displays go (tests record them). */
    public void setDisplaySink(DisplaySink sink) {
        this.displaySink = sink;
    }

    @Override
    public Renderer renderer() {
        return getRenderer();
    }

    @Override
    public DisplaySink displays() {
        return displaySink;
    }

    @Override
    public MagicRegistry magics() {
        return magics;
    }

    @Override
    public DisplayData eval(String code) throws Exception {
        Object result;
        try {
            result = runner().run(code);
        } finally {
            System.out.flush();
            System.err.flush();
        }
        return render(result);
    }

    /** How a cell's value is shown: nothing for {@code null}, else the kernel's renderers. */
    public DisplayData render(Object result) {
        if (result == null) return null;
        if (result instanceof DisplayData d) return d;
        return getRenderer().render(result);
    }

    @Override
    public List<String> formatError(Exception e) {
        return session().errors().format(e);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<String> docs = session().evaluator().inspect(code, at);
        if (docs.isEmpty()) return null;
        return new DisplayData(String.join("\n\n", docs));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CodeEvaluator.Completions c = session().evaluator().complete(code, at);
        if (c.options().isEmpty()) return null;
        return new ReplacementOptions(c.options(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        return session().evaluator().isComplete(code);
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }

    @Override
    public String getBanner() {
        return "Java " + Runtime.version() + " :: SlimLab kernel (JShell in-process). Magics: %lsmagic";
    }

    @Override
    public List<LanguageInfo.Help> getHelpLinks() {
        return List.of(new LanguageInfo.Help("JShell", "https://docs.oracle.com/en/java/javase/17/jshell/"));
    }

    @Override
    public void interrupt() {
        if (session.isDone()) session().evaluator().interrupt();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        if (session.isDone()) session().evaluator().close();
        Kernel.register(null);
        LiveViews.reset();
    }
}
