package org.slimlab.kernel.execution;

import java.util.List;
import java.util.stream.Collectors;

/** A snippet of a cell did not compile; {@link #problems()} say what and where (cell line and column, 1-based). */
public final class CompilationException extends Exception {

    /**
     * One compiler diagnostic.
     *
     * @param message    the compiler's message (without its "location:" lines)
     * @param line       line in the cell, 1-based (0 when unknown)
     * @param column     column in that line, 1-based (0 when unknown)
     * @param sourceLine the text of that line
     * @param length     how many characters the problem spans on that line (at least 1)
     */
    public record Problem(String message, int line, int column, String sourceLine, int length) {}

    private final String source;
    private final List<Problem> problems;

    public CompilationException(String source, List<Problem> problems) {
        super(problems.isEmpty() ? "compilation failed"
                : problems.stream().map(p -> firstLine(p.message())).collect(Collectors.joining("; ")));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The snippet that failed. */
    public String source() {
        return source;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
