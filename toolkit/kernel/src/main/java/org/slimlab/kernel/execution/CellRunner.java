package org.slimlab.kernel.execution;

import org.slimlab.kernel.magics.MagicParser;
import org.slimlab.kernel.magics.MagicRegistry;

/**
 * Runs a whole cell: its Java code through the {@link CodeEvaluator} and its magics through the
 * {@link MagicRegistry}, in order. The value of the last piece is the cell's value.
 */
public final class CellRunner {

    private final CodeEvaluator evaluator;
    private final MagicRegistry magics;

    public CellRunner(CodeEvaluator evaluator, MagicRegistry magics) {
        this.evaluator = evaluator;
        this.magics = magics;
    }

    public Object run(String cell) throws Exception {
        return run(cell, 0);
    }

    /** Runs {@code cell} whose first line is line {@code firstLine} of what the user sees (for %%time bodies). */
    public Object run(String cell, int firstLine) throws Exception {
        Object last = null;
        for (MagicParser.Segment segment : MagicParser.parse(cell)) {
            if (segment instanceof MagicParser.Code code) {
                last = evaluator.eval(code.source(), firstLine + code.firstLine());
            } else if (segment instanceof MagicParser.Line line) {
                last = magics.applyLine(line.name(), line.args(), line.raw());
            } else if (segment instanceof MagicParser.Cell c) {
                last = magics.applyCell(c.name(), c.args(), c.body(), firstLine + c.bodyFirstLine());
            }
        }
        return last;
    }

    public CodeEvaluator evaluator() {
        return evaluator;
    }
}
