package org.slimlab.kernel.execution;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * JShell, run in this JVM: evaluates Java source a snippet at a time and returns the last expression's value as an
 * object (not its string), so the kernel can render it. Errors come back as {@link CompilationException} (with cell
 * line and column), {@link IncompleteSourceException}, {@link EvaluationInterruptedException}, or the very exception
 * user code threw ({@link #isUserException(Throwable)} tells them apart from kernel failures).
 *
 * <pre>{@code
 * try (CodeEvaluator java = CodeEvaluator.create(List.of(), 2000)) {
 *     java.eval("int x = 20;", 0);
 *     Object v = java.eval("x + 22", 0);   // Integer 42
 * }
 * }</pre>
 */
public final class CodeEvaluator implements AutoCloseable {

    private final JShell shell;
    private final ExecutionEngine engine;
    private final SourceCodeAnalysis analysis;
    private final List<String> addedClasspath = new ArrayList<>();
    private final Set<Throwable> userExceptions = Collections.newSetFromMap(new IdentityHashMap<>());

    private CodeEvaluator(JShell shell, ExecutionEngine engine) {
        this.shell = shell;
        this.engine = engine;
        this.analysis = shell.sourceCodeAnalysis();
    }

    /**
     * Starts JShell in this JVM. The compiler sees this JVM's class path plus {@code extraClasspath}.
     *
     * @param extraClasspath  more class path entries (jars or directories)
     * @param stopAfterMillis grace period after an interrupt before the running snippet's thread is stopped
     */
    public static CodeEvaluator create(List<String> extraClasspath, long stopAfterMillis) {
        ExecutionEngineProvider provider = new ExecutionEngineProvider(stopAfterMillis);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        JShell shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .out(quiet).err(quiet)
                .compilerOptions("-Xlint:none", "-proc:none")
                .build();
        CodeEvaluator evaluator = new CodeEvaluator(shell, provider.engine());
        for (String entry : Classpath.ofThisJvm()) shell.addToClasspath(entry);
        for (String entry : extraClasspath) evaluator.addToClasspath(entry);
        return evaluator;
    }

    public JShell shell() {
        return shell;
    }

    /** Adds a jar or class directory for both the compiler and the class loader of later snippets. */
    public synchronized void addToClasspath(String path) {
        shell.addToClasspath(path);
        addedClasspath.add(path);
    }

    /** Entries added since start-up ({@code %classpath}, {@code %jars}, {@code %maven}). */
    public synchronized List<String> addedClasspath() {
        return List.copyOf(addedClasspath);
    }

    /** True if {@code t} is what user code threw (as opposed to a failure of the kernel itself). */
    public boolean isUserException(Throwable t) {
        synchronized (userExceptions) {
            return userExceptions.contains(t);
        }
    }

    /**
     * Evaluates all statements, declarations and expressions of {@code code} in order.
     *
     * @param code      Java source (no magics)
     * @param firstLine 0-based line of the cell where {@code code} starts (for error positions)
     * @return the value of the last snippet if it is an expression not ended by {@code ;}, else {@code null}
     */
    public Object eval(String code, int firstLine) throws Exception {
        if (engine.isCellThread()) {
            throw new IllegalStateException("Java code cannot run more code through the kernel while it runs "
                    + "(%load, %%time and %timeit work as magics in a cell, not from Java)");
        }
        synchronized (this) {
            return evalAll(code, firstLine);
        }
    }

    private Object evalAll(String code, int firstLine) throws Exception {
        Object last = null;
        String rest = code;
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
        while (info.completeness().isComplete()) {
            // JShell's snippet source may or may not keep the leading white space of the rest of the cell
            int offset = code.length() - rest.length() + leadingWhitespace(rest) - leadingWhitespace(info.source());
            last = evalSnippet(info.source(), code, offset, firstLine);
            // like IPython: a value whose statement ends with ';' is not shown (display(x); list.add(y);)
            if (rest.substring(0, rest.length() - info.remaining().length()).strip().endsWith(";")) last = null;
            rest = info.remaining();
            info = analysis.analyzeCompletion(rest);
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            int offset = code.length() - rest.length() + leadingWhitespace(rest);
            throw new IncompleteSourceException(rest.trim(), firstLine + lineOf(code, offset));
        }
        return last;
    }

    private Object evalSnippet(String source, String code, int offset, int firstLine) throws Exception {
        engine.clearResults(); // statements leave a result JShell never reports
        List<SnippetEvent> events = shell.eval(source);
        Object result = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) continue;
            String key = event.value();
            if (key == null) continue;
            Snippet.SubKind kind = event.snippet().subKind();
            Object value = kind.isExecutable() ? engine.takeResultOr(key) : key;
            result = switch (kind) {
                case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> value;
                default -> null;
            };
        }
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) continue;
            JShellException e = event.exception();
            if (e instanceof EvalException ee && ExecutionEngine.INTERRUPTED_NAME.equals(ee.getExceptionClassName())) {
                engine.consumeInterruptRequest();
                engine.takeThrown();
                throw new EvaluationInterruptedException("interrupted while running: " + abbreviate(source));
            }
            if (e instanceof UnresolvedReferenceException ure) {
                throw unresolved(ure.getSnippet(), code, offset, firstLine);
            }
            if (e != null) {
                engine.consumeInterruptRequest(); // e.g. the trainer's own "interrupted" exception: shown as is
                Throwable thrown = engine.takeThrown();
                if (thrown == null) throw e;
                Exception reported = thrown instanceof Exception ex ? ex : new UserCodeException(thrown);
                synchronized (userExceptions) {
                    userExceptions.clear(); // only the latest matters for formatting
                    userExceptions.add(reported);
                }
                throw reported;
            }
            if (!event.status().isDefined()) throw compilationError(event.snippet(), code, offset, firstLine);
        }
        if (engine.consumeInterruptRequest()) {
            throw new EvaluationInterruptedException("interrupted after: " + abbreviate(source));
        }
        return result;
    }

    private CompilationException compilationError(Snippet snippet, String code, int offset, int firstLine) {
        List<CompilationException.Problem> problems = new ArrayList<>();
        for (Diag d : shell.diagnostics(snippet).collect(Collectors.toList())) {
            if (!d.isError()) continue;
            problems.add(problem(cleanMessage(d.getMessage(Locale.ROOT)), code, offset, d.getStartPosition(),
                    d.getEndPosition(), firstLine));
        }
        if (snippet instanceof DeclarationSnippet ds) {
            List<String> deps = shell.unresolvedDependencies(ds).collect(Collectors.toList());
            if (!deps.isEmpty()) {
                problems.add(problem("unresolved: " + String.join(", ", deps), code, offset, 0, 1, firstLine));
            }
        }
        if (problems.isEmpty()) problems.add(problem("the snippet was rejected", code, offset, 0, 1, firstLine));
        return new CompilationException(snippet.source(), problems);
    }

    private CompilationException unresolved(DeclarationSnippet snippet, String code, int offset, int firstLine) {
        List<String> deps = shell.unresolvedDependencies(snippet).collect(Collectors.toList());
        String what = snippet.name();
        String msg = what + " cannot be used until this is declared: " + String.join(", ", deps);
        return new CompilationException(snippet.source(),
                List.of(problem(msg, code, offset, -1, -1, firstLine)));
    }

    static CompilationException.Problem problem(String message, String code, int snippetOffset, long start,
                                                long end, int firstLine) {
        if (start < 0) return new CompilationException.Problem(message, 0, 0, "", 1);
        int pos = (int) Math.min(code.length(), snippetOffset + start);
        int lineStart = code.lastIndexOf('\n', pos - 1) + 1;
        int lineEnd = code.indexOf('\n', pos);
        if (lineEnd < 0) lineEnd = code.length();
        int length = (int) Math.max(1, Math.min(end - start, lineEnd - pos));
        return new CompilationException.Problem(message, firstLine + lineOf(code, pos) + 1, pos - lineStart + 1,
                code.substring(lineStart, lineEnd), length);
    }

    private static String cleanMessage(String message) {
        return message.lines().filter(l -> !l.trim().startsWith("location:"))
                .collect(Collectors.joining("\n")).strip();
    }

    private static int lineOf(String code, int pos) {
        int n = 0;
        for (int i = 0; i < pos && i < code.length(); i++) if (code.charAt(i) == '\n') n++;
        return n;
    }

    private static int leadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }

    /** Runs start-up snippets (imports), silently skipping those that do not compile. Returns how many worked. */
    public synchronized int evalQuietly(List<String> snippets) {
        int ok = 0;
        for (String s : snippets) {
            try {
                eval(s, 0);
                ok++;
            } catch (Exception ignored) {
                // e.g. a package that is not on this class path
            }
        }
        return ok;
    }

    /** Jupyter's is_complete: "complete", "invalid", "unknown", or the indent for the next line. */
    public synchronized String isComplete(String code) {
        if (code.stripLeading().startsWith("%")) return "complete";
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete() && info.completeness() != SourceCodeAnalysis.Completeness.UNKNOWN) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case UNKNOWN -> "invalid";
            case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> "complete";
            case CONSIDERED_INCOMPLETE, DEFINITELY_INCOMPLETE -> "    ";
        };
    }

    /** Completion candidates at {@code cursor}: the texts and the start of the range they replace. */
    public record Completions(List<String> options, int start, int end) {}

    public synchronized Completions complete(String code, int cursor) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(code, cursor, anchor);
        List<String> options = suggestions.stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
        return new Completions(options, anchor[0], cursor);
    }

    /** Signatures and javadoc of what is at {@code cursor} (empty when nothing is known there). */
    public synchronized List<String> inspect(String code, int cursor) {
        int at = Math.min(Math.max(cursor, 0), code.length());
        while (at < code.length() && Character.isJavaIdentifierPart(code.charAt(at))) at++;
        int paren = at;
        while (paren < code.length() && Character.isWhitespace(code.charAt(paren))) paren++;
        if (paren < code.length() && code.charAt(paren) == '(') at = paren + 1;
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(code, at, true);
        if (docs == null) return List.of();
        return docs.stream()
                .map(d -> d.javadoc() == null || d.javadoc().isBlank() ? d.signature() : d.signature() + "\n" + d.javadoc())
                .collect(Collectors.toList());
    }

    /** Interrupts the running snippet (not synchronized: it is called while {@link #eval} holds the lock). */
    public void interrupt() {
        engine.interrupt();
    }

    public boolean isRunning() {
        return engine.isRunning();
    }

    @Override
    public void close() {
        shell.close();
    }
}
