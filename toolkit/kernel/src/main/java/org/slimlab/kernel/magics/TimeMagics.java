package org.slimlab.kernel.magics;

import org.slimlab.kernel.execution.CompilationException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Timing magics. {@code %%time} runs the cell and prints its wall time; {@code %time statement} does the same for
 * one line; {@code %timeit [-n loops] [-r runs] statement} and {@code %%timeit} run code many times and show the
 * mean and spread per loop (the loop itself runs in the cell thread, so it can be interrupted).
 */
public final class TimeMagics {

    /** Runs code the way a cell runs (magics included); {@code firstLine} is its 0-based cell line. */
    @FunctionalInterface
    public interface Runner {
        Object run(String code, int firstLine) throws Exception;
    }

    private static final Pattern OPTIONS = Pattern.compile("^\\s*((?:-[nr]\\s*\\d+\\s+)*)(.*)$", Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("-([nr])\\s*(\\d+)");

    private final Runner cellRunner;
    private final Runner javaRunner;

    /**
     * @param cellRunner runs code with magics (for {@code %%time})
     * @param javaRunner evaluates plain Java (for the generated {@code %timeit} loop)
     */
    public TimeMagics(Runner cellRunner, Runner javaRunner) {
        this.cellRunner = cellRunner;
        this.javaRunner = javaRunner;
    }

    public void registerInto(MagicRegistry registry) {
        registry.cell("time", (args, body, line) -> time(body, line));
        registry.line("time", (args, raw) -> time(raw, 0));
        registry.line("timeit", (args, raw) -> timeit(raw, false));
        registry.cell("timeit", (args, body, line) -> timeit(String.join(" ", args) + "\n" + body, true));
    }

    private Object time(String code, int firstLine) throws Exception {
        long t0 = System.nanoTime();
        try {
            return cellRunner.run(code, firstLine);
        } finally {
            System.out.println("Wall time: " + formatSeconds((System.nanoTime() - t0) / 1e9));
        }
    }

    private Object timeit(String text, boolean cell) throws Exception {
        Matcher m = OPTIONS.matcher(text);
        if (!m.matches()) throw new MagicRegistry.MagicException("Usage: %timeit [-n loops] [-r runs] statement");
        int loops = 0;
        int runs = 5;
        Matcher o = OPTION.matcher(m.group(1));
        while (o.find()) {
            if (o.group(1).equals("n")) loops = Integer.parseInt(o.group(2));
            else runs = Integer.parseInt(o.group(2));
        }
        String code = m.group(2).strip();
        if (code.isEmpty()) throw new MagicRegistry.MagicException("Usage: %timeit [-n loops] [-r runs] statement");
        String head = "org.slimlab.kernel.runtime.Timing.timeit(" + loops + ", " + runs + ", () -> {\n";
        try {
            return javaRunner.run(head + code + "\n;})", 0);
        } catch (CompilationException statementFailed) {
            if (cell) throw statementFailed;
            String expr = code.endsWith(";") ? code.substring(0, code.length() - 1) : code;
            return javaRunner.run(head + "Object timeit$value = (" + expr + ");\n})", 0);
        }
    }

    /** {@code 1.23 s}, {@code 45.6 ms}, {@code 7.89 µs} or {@code 120 ns}. */
    public static String formatSeconds(double s) {
        if (s >= 1) return String.format(Locale.ROOT, "%.3g s", s);
        if (s >= 1e-3) return String.format(Locale.ROOT, "%.3g ms", s * 1e3);
        if (s >= 1e-6) return String.format(Locale.ROOT, "%.3g µs", s * 1e6);
        return String.format(Locale.ROOT, "%.3g ns", s * 1e9);
    }

}
