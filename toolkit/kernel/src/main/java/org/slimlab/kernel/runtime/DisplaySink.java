package org.slimlab.kernel.runtime;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;

/** Where displays go: the notebook of the running cell (the kernel), or a recorder in tests. */
public interface DisplaySink {

    /** Shows {@code data} as a new output (its display id, if any, lets it be updated later). */
    void display(DisplayData data);

    /** Replaces the output shown with display id {@code id} by {@code data}. */
    void update(String id, DisplayData data);
}
