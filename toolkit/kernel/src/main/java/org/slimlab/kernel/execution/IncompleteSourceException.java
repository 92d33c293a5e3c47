package org.slimlab.kernel.execution;

/** The end of a cell is not a complete statement (an unclosed brace, a missing parenthesis...). */
public final class IncompleteSourceException extends Exception {

    private final int line;

    public IncompleteSourceException(String source, int line) {
        super("incomplete input at line " + line + ": " + source);
        this.line = line;
    }

    /** Cell line (1-based) where the incomplete input starts. */
    public int line() {
        return line;
    }
}
