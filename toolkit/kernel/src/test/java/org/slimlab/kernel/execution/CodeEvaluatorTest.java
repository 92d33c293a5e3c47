package org.slimlab.kernel.execution;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodeEvaluatorTest {

    static CodeEvaluator java;

    @BeforeAll
    static void start() {
        java = CodeEvaluator.create(List.of(), 1000);
    }

    @AfterAll
    static void stop() {
        java.close();
    }

    @Test
    void returnsTheLastExpressionAsAnObjectAndKeepsState() throws Exception {
        assertThat(java.eval("int x = 20;", 0)).isNull();
        assertThat(java.eval("int y = x + 1;\nx + y + 1", 0)).isEqualTo(42);
        Object list = java.eval("new java.util.ArrayList<>(java.util.List.of(1, 2))", 0);
        assertThat(list).isInstanceOf(java.util.ArrayList.class);
        assertThat(java.eval("String greet(String n) { return \"hi \" + n; }\ngreet(\"ada\")", 0)).isEqualTo("hi ada");
    }

    @Test
    void runsInThisJvmSoStaticsAreShared() throws Exception {
        System.setProperty("slimlab.test.marker", "in-process");
        assertThat(java.eval("System.getProperty(\"slimlab.test.marker\")", 0)).isEqualTo("in-process");
        // the toolkit on the class path compiles in cells
        assertThat(java.eval("new org.slimlab.ui.Progress(\"t\", 1, 2, \"\", null).line()", 0)).isEqualTo("t 1/2 (50%)");
        // the same Class object, so the same statics (display runtime, LiveViews) as the kernel
        assertThat(java.eval("org.slimlab.kernel.execution.CodeEvaluator.class", 0)).isSameAs(CodeEvaluator.class);
    }

    @Test
    void compileErrorsSayWhereInTheCell() {
        assertThatThrownBy(() -> java.eval("int ok = 1;\nint bad = missingThing + 1;", 3))
                .isInstanceOfSatisfying(CompilationException.class, e -> {
                    CompilationException.Problem p = e.problems().get(0);
                    assertThat(p.message()).contains("cannot find symbol");
                    assertThat(p.line()).isEqualTo(5); // 3 lines before this code, then its 2nd line
                    assertThat(p.column()).isEqualTo(11);
                    assertThat(p.sourceLine()).isEqualTo("int bad = missingThing + 1;");
                    assertThat(p.length()).isEqualTo("missingThing".length());
                });
    }

    @Test
    void runtimeExceptionsAreTheUsersOwnAndStateSurvives() throws Exception {
        java.eval("int kept = 7;", 0);
        assertThatThrownBy(() -> java.eval("void boom() { throw new IllegalStateException(\"bad state\"); }\nboom();", 0))
                .isInstanceOfSatisfying(IllegalStateException.class, e -> {
                    assertThat(e).hasMessage("bad state");
                    assertThat(java.isUserException(e)).isTrue();
                });
        assertThat(java.eval("kept", 0)).isEqualTo(7);
    }

    @Test
    void incompleteInputIsReported() {
        assertThatThrownBy(() -> java.eval("int a = 1;\nfor (int i = 0; i < 3; i++) {", 0))
                .isInstanceOfSatisfying(IncompleteSourceException.class, e -> assertThat(e.line()).isEqualTo(1));
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void interruptStopsALoopThatChecksTheFlagAndTheShellGoesOn() throws Exception {
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
            try {
                java.eval("int steps = 0;\nwhile (!Thread.currentThread().isInterrupted()) { steps++; Thread.onSpinWait(); }\nint after = 1;", 0);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        waitUntilRunning();
        long t0 = System.nanoTime();
        java.interrupt();
        Throwable t = run.get(10, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.0);
        assertThat(t).isInstanceOf(EvaluationInterruptedException.class);
        assertThatThrownBy(() -> java.eval("after", 0)).isInstanceOf(CompilationException.class); // rest was skipped
        assertThat(java.eval("1 + 1", 0)).isEqualTo(2);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void interruptStopsCodeThatIgnoresTheFlag() throws Exception {
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
            try {
                java.eval("long spin = 0; while (true) { spin++; if (spin < 0) break; }", 0);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        waitUntilRunning();
        java.interrupt();
        assertThat(run.get(10, TimeUnit.SECONDS)).isInstanceOf(EvaluationInterruptedException.class);
        assertThat(java.eval("\"still alive\"", 0)).isEqualTo("still alive");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void anExceptionThrownOnInterruptIsShownAndTheNextCellIsNotAffected() throws Exception {
        java.eval("class Stopped extends RuntimeException { Stopped(String m) { super(m); } }", 0);
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
            try {
                java.eval("for (int step = 0; ; step++) { if (Thread.currentThread().isInterrupted()) throw new Stopped(\"stopped at step \" + (step > 0)); }", 0);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        waitUntilRunning();
        java.interrupt();
        Throwable t = run.get(10, TimeUnit.SECONDS);
        assertThat(t).hasMessage("stopped at step true");
        assertThat(java.isUserException(t)).isTrue();
        assertThat(java.eval("int fine = 3;\nfine * 2", 0)).isEqualTo(6);
    }

    @Test
    void completesAndInspectsWithJShellAnalysis() throws Exception {
        java.eval("String word = \"abc\";", 0);
        CodeEvaluator.Completions c = java.complete("word.toUpp", 10);
        assertThat(c.options()).anyMatch(o -> o.startsWith("toUpperCase("));
        assertThat(c.start()).isEqualTo(5);
        assertThat(java.inspect("Math.max(1, 2)", 6)).anyMatch(d -> d.contains("max("));
        assertThat(java.isComplete("for (int i = 0; i < 3; i++) {")).isNotIn("complete", "invalid");
        assertThat(java.isComplete("int z = 3;")).isEqualTo("complete");
    }

    private static void waitUntilRunning() throws InterruptedException {
        for (int i = 0; i < 200 && !java.isRunning(); i++) Thread.sleep(25);
        Thread.sleep(100);
    }
}
