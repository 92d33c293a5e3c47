package org.slimlab.kernel.magics;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a cell into Java code and magics, IJava style: a cell that starts with {@code %%name args} is a cell magic
 * whose body is the rest of the cell; otherwise every line that starts with {@code %name} is a line magic, run in
 * order between the pieces of Java code around it.
 *
 * <pre>{@code
 * MagicParser.parse("%maven org.apache.commons:commons-text:1.10.0\nvar s = 1;")
 *   -> [Line(maven, [org.apache.commons:commons-text:1.10.0], raw, line 0), Code("var s = 1;", line 1)]
 * }</pre>
 */
public final class MagicParser {

    private MagicParser() {}

    /** A piece of a cell. */
    public sealed interface Segment permits Code, Line, Cell {}

    /** Java source starting at 0-based cell line {@code firstLine}. */
    public record Code(String source, int firstLine) implements Segment {}

    /** {@code %name args...} at 0-based cell line {@code line}; {@code raw} is the text after the name. */
    public record Line(String name, List<String> args, String raw, int line) implements Segment {}

    /** {@code %%name args...} followed by {@code body}, whose first line is cell line {@code bodyFirstLine}. */
    public record Cell(String name, List<String> args, String body, int bodyFirstLine) implements Segment {}

    /** Parses {@code cell} into segments (a cell magic is the only segment of its cell). */
    public static List<Segment> parse(String cell) {
        List<Segment> out = new ArrayList<>();
        String[] lines = cell.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) first++;
        if (first < lines.length && lines[first].stripLeading().startsWith("%%")) {
            String header = lines[first].strip().substring(2);
            List<String> words = splitArgs(header);
            String name = words.isEmpty() ? "" : words.get(0);
            StringBuilder body = new StringBuilder();
            for (int i = first + 1; i < lines.length; i++) {
                if (i > first + 1) body.append('\n');
                body.append(lines[i]);
            }
            out.add(new Cell(name, words.isEmpty() ? List.of() : List.copyOf(words.subList(1, words.size())),
                    body.toString(), first + 1));
            return out;
        }
        List<String> code = new ArrayList<>();
        int codeStart = 0;
        for (int i = 0; i < lines.length; i++) {
            String stripped = lines[i].stripLeading();
            if (isLineMagic(stripped)) {
                addCode(out, code, codeStart);
                code.clear();
                String text = stripped.substring(1).strip();
                int sp = 0;
                while (sp < text.length() && !Character.isWhitespace(text.charAt(sp))) sp++;
                out.add(new Line(text.substring(0, sp), splitArgs(text.substring(sp)), text.substring(sp).strip(), i));
                codeStart = i + 1;
            } else {
                code.add(lines[i]);
            }
        }
        addCode(out, code, codeStart);
        return out;
    }

    private static void addCode(List<Segment> out, List<String> lines, int firstLine) {
        String source = String.join("\n", lines);
        if (!source.isBlank()) out.add(new Code(source, firstLine));
    }

    private static boolean isLineMagic(String stripped) {
        return stripped.length() > 1 && stripped.charAt(0) == '%' && Character.isLetter(stripped.charAt(1));
    }

    /** Splits magic arguments on white space; single or double quotes group words, backslash escapes. */
    public static List<String> splitArgs(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && quote != '\'') {
                cur.append(text.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) out.add(cur.toString());
        return out;
    }
}
