package org.slimlab.kernel.runtime;

import java.util.List;

/**
 * Magics called from Java code, like IJava's: {@code lineMagic("maven", List.of("g:a:v"))},
 * {@code cellMagic("time", List.of(), "code")}. Preloaded with {@code import static}.
 */
public final class Magics {

    private Magics() {}

    @SuppressWarnings("unchecked")
    public static <T> T lineMagic(String name, List<String> args) {
        try {
            return (T) Kernel.get().magics().applyLine(name, args);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException("line magic %" + name + " failed: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static <T> T cellMagic(String name, List<String> args, String body) {
        try {
            return (T) Kernel.get().magics().applyCell(name, args, body, 0);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException("cell magic %%" + name + " failed: " + e.getMessage(), e);
        }
    }
}
