package org.slimlab.ui;

/**
 * One live status display that long work (training, a reproduction) updates in place: a progress bar in the
 * terminal, a single display in a notebook. Obtain one from {@link LiveViews#open(String)}.
 */
public interface LiveView extends AutoCloseable {

    /** Replaces what the view shows with {@code status} (one line of plain text; HTML-escaped by notebook views). */
    void update(Progress status);

    /** Finishes the view, leaving its last state visible. */
    @Override
    void close();
}
