package org.slimlab.kernel.execution;

import org.slimlab.kernel.magics.MagicRegistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns a failed cell into the lines of a Jupyter error output: for a compile error the message and where (cell
 * line, column, the line with the span marked); for an exception of user code its stack trace without the JShell
 * and kernel frames below the cell; for an interrupt a one-line note.
 */
public final class ErrorFormatter {

    static final String RED = "\u001b[1;31m";
    static final String BOLD = "\u001b[1m";
    static final String RESET = "\u001b[0m";

    private static final String[] MACHINERY = {
            "jdk.internal.reflect.", "java.lang.reflect.", "jdk.jshell.", "org.slimlab.kernel.execution.",
            "java.util.concurrent.", "java.lang.Thread"
    };

    private final Predicate<Throwable> isUserException;

    /** @param isUserException tells exceptions thrown by user code from failures of the kernel itself */
    public ErrorFormatter(Predicate<Throwable> isUserException) {
        this.isUserException = isUserException;
    }

    public List<String> format(Exception e) {
        if (e instanceof CompilationException ce) return compilation(ce);
        if (e instanceof EvaluationInterruptedException) {
            return List.of(RED + "Interrupted." + RESET + " The rest of the cell was skipped; the kernel keeps its state.");
        }
        if (e instanceof IncompleteSourceException ie) {
            return List.of(RED + "Incomplete input" + RESET + " at line " + ie.line() + " (a missing ')', '}' or ';'?):",
                    ie.getMessage().substring(ie.getMessage().indexOf(": ") + 2));
        }
        if (e instanceof MagicRegistry.MagicException) return List.of(RED + e.getMessage() + RESET);
        if (e instanceof UserCodeException u && isUserException.test(u)) return trimmedTrace(u.getCause());
        if (isUserException.test(e)) return trimmedTrace(e);
        List<String> lines = new ArrayList<>();
        lines.add(RED + "Kernel error: " + RESET + e);
        for (StackTraceElement f : e.getStackTrace()) lines.add("    at " + f);
        return lines;
    }

    private static List<String> compilation(CompilationException e) {
        List<String> lines = new ArrayList<>();
        for (CompilationException.Problem p : e.problems()) {
            List<String> msg = p.message().lines().toList();
            String first = msg.isEmpty() ? "" : msg.get(0);
            String where = p.line() > 0 ? " at line " + p.line() + ", column " + p.column() : "";
            lines.add(RED + "Compilation error" + where + ":" + RESET + " " + first);
            for (int i = 1; i < msg.size(); i++) lines.add("  " + msg.get(i));
            if (p.line() > 0) {
                lines.add(BOLD + String.format("%4d | ", p.line()) + RESET + p.sourceLine());
                lines.add("     | " + " ".repeat(Math.max(0, p.column() - 1)) + RED + "^".repeat(Math.max(1, p.length())) + RESET);
            }
        }
        if (e.problems().isEmpty()) lines.add(RED + "Compilation error" + RESET);
        return lines;
    }

    /**
     * {@code t} and its causes with their stack frames down to the first frame of JShell or the kernel (frames of
     * the cell itself show as {@code <cell>}); repeated frames of a cause are cut as Java does.
     */
    public static List<String> trimmedTrace(Throwable t) {
        List<String> lines = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        String prefix = "";
        StackTraceElement[] enclosing = null;
        while (t != null && seen.add(t)) {
            lines.add(prefix + RED + t.getClass().getName() + RESET + (t.getMessage() != null ? ": " + t.getMessage() : ""));
            StackTraceElement[] frames = t.getStackTrace();
            int end = frames.length;
            if (enclosing != null) {
                int j = enclosing.length - 1;
                while (end > 0 && j >= 0 && frames[end - 1].equals(enclosing[j])) {
                    end--;
                    j--;
                }
            }
            String previous = null;
            for (int i = 0; i < end; i++) {
                StackTraceElement f = frames[i];
                if (isMachinery(f.getClassName())) break;
                String line = f.getClassName().startsWith("REPL.")
                        ? "    at <cell>" + (f.getMethodName().equals("do_it$") ? "" : "." + f.getMethodName() + "(...)")
                        : "    at " + f;
                if (!line.equals(previous)) lines.add(line);
                previous = line;
            }
            enclosing = frames;
            t = t.getCause();
            prefix = "Caused by: ";
        }
        return lines;
    }

    private static boolean isMachinery(String className) {
        for (String m : MACHINERY) if (className.startsWith(m)) return true;
        return false;
    }
}
