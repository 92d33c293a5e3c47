package org.slimlab.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimlab.kernel.execution.CompilationException;
import org.slimlab.kernel.magics.MagicRegistry;
import org.slimlab.kernel.runtime.DisplaySink;
import org.slimlab.ui.LiveView;
import org.slimlab.ui.LiveViews;
import org.slimlab.ui.Progress;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kernel without a Jupyter connection: cells, displays, magics and error formatting. */
class SlimLabKernelTest {

    record Shown(String kind, String id, DisplayData data) {}

    static final List<Shown> shown = new ArrayList<>();
    static SlimLabKernel kernel;

    @BeforeAll
    static void start() {
        kernel = new SlimLabKernel();
        kernel.setDisplaySink(new DisplaySink() {
            @Override
            public void display(DisplayData data) {
                shown.add(new Shown("display", data.getDisplayId(), data));
            }

            @Override
            public void update(String id, DisplayData data) {
                shown.add(new Shown("update", id, data));
            }
        });
        kernel.install();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    static String captureOut(ThrowingRunnable r) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void preloadedDisplayStaticsShowAndUpdateInPlace() throws Exception {
        shown.clear();
        kernel.eval("String id = display(\"starting\");\nupdateDisplay(id, \"done\");");
        assertThat(shown).hasSize(2);
        assertThat(shown.get(0).kind()).isEqualTo("display");
        assertThat(shown.get(0).data().getData(MIMEType.TEXT_PLAIN)).isEqualTo("starting");
        assertThat(shown.get(1).kind()).isEqualTo("update");
        assertThat(shown.get(1).id()).isEqualTo(shown.get(0).id());
        assertThat(shown.get(1).data().getData(MIMEType.TEXT_PLAIN)).isEqualTo("done");
        DisplayData r = kernel.eval("render(new StringBuilder(\"x\"), \"text/plain\")");
        assertThat(String.valueOf(r.getData(MIMEType.TEXT_PLAIN))).isEqualTo("x");
    }

    @Test
    void preloadImportsTheLibrariesAndTheToolkit() throws Exception {
        DisplayData d = kernel.eval("var t = Table.create(\"t\", IntColumn.create(\"a\", 1, 2));\nt");
        assertThat((String) d.getData(MIMEType.TEXT_HTML)).contains("<th>a</th>");
        assertThat(kernel.eval("new XYChartBuilder().build()").hasDataForType(MIMEType.IMAGE_PNG)).isTrue();
        assertThat(kernel.eval("Progress.formatDuration(Duration.ofSeconds(65))").getData(MIMEType.TEXT_PLAIN)).isEqualTo("1m05s");
    }

    @Test
    void liveViewsAreOneDisplayUpdatedInPlace() throws Exception {
        shown.clear();
        try (LiveView v = LiveViews.open("train")) {
            for (int step = 1; step <= 50; step++) v.update(new Progress("epoch 1/1", step, 50, "loss " + step, null));
        }
        assertThat(shown).isNotEmpty();
        assertThat(shown.get(0).kind()).isEqualTo("display");
        assertThat(shown.stream().skip(1)).allMatch(s -> s.kind().equals("update") && s.id().equals(shown.get(0).id()));
        assertThat(shown.size()).isLessThan(10); // throttled, not one output per step
        assertThat(shown.get(shown.size() - 1).data().getData(MIMEType.TEXT_PLAIN)).asString().contains("50/50");
    }

    @Test
    void timeMagicsTimeTheCell(@TempDir Path dir) throws Exception {
        String out = captureOut(() -> assertThat(kernel.eval("%%time\nint slept = 0;\nThread.sleep(20);\n40 + 2")
                .getData(MIMEType.TEXT_PLAIN)).isEqualTo("42"));
        assertThat(out).contains("Wall time: ");
        DisplayData t = kernel.eval("%timeit -n 100 -r 3 Math.sqrt(2.0)");
        assertThat((String) t.getData(MIMEType.TEXT_PLAIN)).contains("per loop (mean ± std. dev. of 3 runs, 100 loops each)");
        DisplayData e = kernel.eval("%timeit -n 10 -r 2 1 + 1");
        assertThat((String) e.getData(MIMEType.TEXT_PLAIN)).contains("10 loops each");
    }

    @Test
    void loadRunsAFileAndClasspathAddsJars(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("helpers.jsh");
        Files.writeString(f, "int twice(int x) { return 2 * x; }\n");
        kernel.eval("%load " + f);
        assertThat(kernel.eval("twice(21)").getData(MIMEType.TEXT_PLAIN)).isEqualTo("42");
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path jar = lib.resolve("extra.jar");
        try (var j = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            j.putNextEntry(new java.util.jar.JarEntry("extra/hello.txt"));
            j.write("hello from a jar".getBytes());
        }
        String out = captureOut(() -> kernel.eval("%jars " + lib + "/*.jar"));
        assertThat(out).contains("Added 1 entry");
        assertThat(kernel.eval("new String(Thread.currentThread().getContextClassLoader().getResourceAsStream(\"extra/hello.txt\").readAllBytes())")
                .getData(MIMEType.TEXT_PLAIN)).isEqualTo("hello from a jar");
        assertThatThrownBy(() -> kernel.eval("%classpath " + dir.resolve("missing.jar")))
                .isInstanceOf(MagicRegistry.MagicException.class).hasMessageContaining("No such file");
        assertThatThrownBy(() -> kernel.eval("%nosuchmagic")).hasMessageContaining("Unknown line magic %nosuchmagic");
    }

    @Test
    void errorsAreFormattedAndTheKernelGoesOn() throws Exception {
        kernel.eval("int before = 1;");
        Exception compile = catchIt("int a = 1;\nString s = 42;");
        assertThat(compile).isInstanceOf(CompilationException.class);
        String text = strip(String.join("\n", kernel.formatError(compile)));
        assertThat(text).contains("Compilation error at line 2, column 12:", "incompatible types", "2 | String s = 42;", "^^");

        Exception user = catchIt("%%time\nint[] arr = new int[2];\nint get(int[] a, int i) { return a[i]; }\nget(arr, 5)");
        assertThat(user).isInstanceOf(ArrayIndexOutOfBoundsException.class);
        String trace = strip(String.join("\n", kernel.formatError(user)));
        assertThat(trace).startsWith("java.lang.ArrayIndexOutOfBoundsException: Index 5 out of bounds for length 2")
                .contains("at <cell>.get(...)").doesNotContain("jdk.jshell", "org.slimlab.kernel", "reflect");

        assertThat(kernel.eval("before + 1").getData(MIMEType.TEXT_PLAIN)).isEqualTo("2");
    }

    private static Exception catchIt(String cell) {
        try {
            kernel.eval(cell);
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("no error from " + cell);
    }

    static String strip(String ansi) {
        return ansi.replaceAll("\u001b\\[[0-9;]*m", "");
    }
}
