package org.slimlab.kernel.magics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The kernel's magics by name: line magics ({@code %name}) and cell magics ({@code %%name}). */
public final class MagicRegistry {

    /**
     * A line magic: {@code %name args}, given both split ({@code args}) and as the raw text after the name (for
     * magics that take code, like {@code %timeit}). May return a value to display (or {@code null}).
     */
    @FunctionalInterface
    public interface LineMagic {
        Object run(List<String> args, String raw) throws Exception;
    }

    /** A cell magic: {@code %%name args} then the body; {@code bodyFirstLine} is the body's 0-based cell line. */
    @FunctionalInterface
    public interface CellMagic {
        Object run(List<String> args, String body, int bodyFirstLine) throws Exception;
    }

    /** An unknown magic name, or bad arguments to a magic: shown as a short message, no stack trace. */
    public static final class MagicException extends Exception {
        public MagicException(String message) {
            super(message);
        }

        public MagicException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Map<String, LineMagic> lineMagics = new TreeMap<>();
    private final Map<String, CellMagic> cellMagics = new TreeMap<>();

    public MagicRegistry line(String name, LineMagic magic) {
        lineMagics.put(name, magic);
        return this;
    }

    public MagicRegistry cell(String name, CellMagic magic) {
        cellMagics.put(name, magic);
        return this;
    }

    public Object applyLine(String name, List<String> args) throws Exception {
        return applyLine(name, args, String.join(" ", args));
    }

    public Object applyLine(String name, List<String> args, String raw) throws Exception {
        LineMagic magic = lineMagics.get(name);
        if (magic == null) {
            throw new MagicException("Unknown line magic %" + name + ". Line magics: %"
                    + String.join(", %", lineMagics.keySet()) + "; cell magics: %%" + String.join(", %%", cellMagics.keySet()));
        }
        return magic.run(args, raw);
    }

    public Object applyCell(String name, List<String> args, String body, int bodyFirstLine) throws Exception {
        CellMagic magic = cellMagics.get(name);
        if (magic == null) {
            throw new MagicException("Unknown cell magic %%" + name + ". Cell magics: %%"
                    + String.join(", %%", cellMagics.keySet()));
        }
        return magic.run(args, body, bodyFirstLine);
    }

    public java.util.Set<String> lineNames() {
        return lineMagics.keySet();
    }

    public java.util.Set<String> cellNames() {
        return cellMagics.keySet();
    }
}
