package org.slimlab.kernel.render;

import io.github.spencerpark.jupyter.kernel.display.RenderContext;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.Table;

/**
 * Tablesaw tables as HTML (and text): at most {@value #MAX_ROWS} rows are shown, the first and the last ones, with
 * a note saying how many rows and columns the table has.
 */
public final class TableRenderer {

    /** Tables longer than this are truncated in the middle. */
    public static final int MAX_ROWS = 40;
    private static final int HEAD = 30;
    private static final int TAIL = 10;

    private TableRenderer() {}

    public static void register(Renderer renderer) {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register(TableRenderer::render);
    }

    static void render(Table table, RenderContext context) {
        context.renderIfRequested(MIMEType.TEXT_HTML, () -> html(table));
        context.getOutputContainer().putText(text(table));
    }

    /** An HTML table with a caption (the table's name) and a "N rows × M columns" note. */
    public static String html(Table t) {
        int rows = t.rowCount();
        StringBuilder s = new StringBuilder("<div class=\"slimlab-table\"><table border=\"1\" class=\"dataframe\">");
        if (t.name() != null && !t.name().isBlank()) s.append("<caption>").append(Html.escape(t.name())).append("</caption>");
        s.append("<thead><tr>");
        for (String c : t.columnNames()) s.append("<th>").append(Html.escape(c)).append("</th>");
        s.append("</tr></thead><tbody>");
        boolean cut = rows > MAX_ROWS;
        int head = cut ? HEAD : rows;
        for (int r = 0; r < head; r++) row(s, t, r);
        if (cut) {
            s.append("<tr>");
            for (int c = 0; c < t.columnCount(); c++) s.append("<td>…</td>");
            s.append("</tr>");
            for (int r = rows - TAIL; r < rows; r++) row(s, t, r);
        }
        s.append("</tbody></table><p><small>").append(rows).append(rows == 1 ? " row" : " rows").append(" × ")
                .append(t.columnCount()).append(t.columnCount() == 1 ? " column" : " columns");
        if (cut) s.append(" (showing ").append(HEAD).append(" first and ").append(TAIL).append(" last rows)");
        return s.append("</small></p></div>").toString();
    }

    private static void row(StringBuilder s, Table t, int r) {
        s.append("<tr>");
        for (int c = 0; c < t.columnCount(); c++) {
            s.append("<td>").append(Html.escape(t.column(c).getString(r))).append("</td>");
        }
        s.append("</tr>");
    }

    /** Tablesaw's own text form, truncated the same way, with the row count. */
    public static String text(Table t) {
        int rows = t.rowCount();
        if (rows <= MAX_ROWS) return t.printAll();
        return t.print(HEAD) + "\n... " + rows + " rows × " + t.columnCount() + " columns";
    }
}
