package org.slimlab.ui;

/**
 * A SlimLab value that shows itself as something richer: a Tablesaw table, an XChart chart, an image or text.
 * The notebook kernel renders {@link #displayValue()} in place of the object, so the last expression of a cell
 * (a model, a run, a reproduction) shows something useful.
 */
public interface Displayable {

    /** The object to render instead of this one (a {@code tech.tablesaw.api.Table}, an XChart chart, ...). */
    Object displayValue();
}
