package io.distiltrain.tasks;

import io.distiltrain.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Reads one GLUE (or XNLI) task file: picks the layout by the header on line 1 (labelled, or the
 * test file's), then turns each row into an {@link Example}. A bad row ends the read with a
 * {@link UserError} naming file and line, except where the task is known to ship broken rows
 * ({@code skipBrokenRows}: QQP, whose train.tsv has rows with missing columns that transformers'
 * processor also skips): those are reported to the warnings sink, one line each plus a count.
 */
final class GlueReader {
    private final String task;
    private final String display;
    private final List<TsvLayout> layouts;
    private final LabelSet labels;
    private final boolean regression;
    private final String language;
    private final boolean skipBrokenRows;

    GlueReader(String task, String display, LabelSet labels, boolean regression, String language) {
        this.task = task;
        this.display = display;
        this.layouts = GlueLayouts.LAYOUTS.get(task);
        this.labels = labels;
        this.regression = regression;
        this.language = language;
        this.skipBrokenRows = task.equals("qqp");
    }

    List<Example> read(Path file, Consumer<String> warnings) {
        OneFile f = new OneFile(file, warnings);
        long rows = TsvFile.read(file, expected(), f);
        if (f.skipped > 0) {
            warnings.accept("warning: " + file + ": skipped " + f.skipped + " broken " + display + " row"
                    + (f.skipped == 1 ? "" : "s") + " of " + (rows - 1));
        }
        if (f.out.isEmpty()) {
            throw new UserError(file + ": no examples" + (f.layout.language() >= 0
                    ? " in language " + language + " (the file has " + String.join(", ", f.languagesSeen)
                            + "); choose one of those languages"
                    : " after the header; expected " + expected()));
        }
        return f.out;
    }

    /** The state of one read: the layout line 1 chose, the examples so far, what was skipped. */
    private final class OneFile implements TsvFile.Rows {
        final Path file;
        final Consumer<String> warnings;
        final List<Example> out = new ArrayList<>();
        final Set<String> languagesSeen = new TreeSet<>();
        TsvLayout layout;
        int columns;
        long skipped;

        OneFile(Path file, Consumer<String> warnings) {
            this.file = file;
            this.warnings = warnings;
        }

        @Override
        public void row(String[] cells, long line) {
            if (layout == null) {
                layout = pick(file, cells);
                columns = layout.headerless() ? layout.head().size() : cells.length;
                if (!layout.headerless()) {
                    return;
                }
            }
            if (cells.length != columns) {
                String problem = file + ", line " + line + ": " + cells.length + " columns, expected " + columns
                        + " (" + layout.describe() + ")";
                if (!skipBrokenRows) {
                    throw new UserError(problem + "; the row is broken (a stray tab or line break): fix or "
                            + "remove it");
                }
                skipped++;
                warnings.accept("warning: " + problem + "; a broken row (" + display + "'s train.tsv has some), "
                        + "skipped");
                return;
            }
            if (layout.language() >= 0) {
                languagesSeen.add(cells[layout.language()]);
                if (!cells[layout.language()].equals(language)) {
                    return;
                }
            }
            out.add(example(file, layout, cells, line));
        }
    }

    private Example example(Path file, TsvLayout l, String[] cells, long line) {
        String a = cells[l.textA()];
        String b = l.textB() < 0 ? null : cells[l.textB()];
        if (!l.labelled()) {
            return new Example(a, b, -1, Double.NaN, line);
        }
        String cell = cells[l.labelColumn(cells.length)];
        if (regression) {
            return new Example(a, b, -1, score(file, line, cell), line);
        }
        int id = labels.id(cell);
        if (id < 0) {
            throw new UserError(file + ", line " + line + ": label \"" + cell + "\" is not one of " + display
                    + "'s labels (" + labels.describe() + "); fix the row, or name the task whose file this is");
        }
        return new Example(a, b, id, Double.NaN, line);
    }

    private double score(Path file, long line, String cell) {
        try {
            double v = Double.parseDouble(cell);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError(file + ", line " + line + ": score \"" + cell + "\" is not a number; " + display
                + " scores are numbers such as 3.800: fix the row");
    }

    /** The layout whose header line 1 is, or CoLA's headerless one; else the error saying what it is. */
    private TsvLayout pick(Path file, String[] first) {
        for (TsvLayout l : layouts) {
            if (l.matches(first)) {
                return l;
            }
        }
        List<String> others = GlueLayouts.tasksWithHeader(first);
        if (others.isEmpty()) {
            for (TsvLayout l : layouts) {
                if (l.headerless() && first.length == l.head().size()) {
                    return l;
                }
            }
        }
        String got = String.join("\\t", first);
        got = got.length() > 160 ? got.substring(0, 160) + "..." : got;
        String hint = others.isEmpty() ? "use the file from the GLUE download's " + display + " folder"
                : "it is a file of task " + String.join(" or ", others) + ": name that task, or pass "
                        + display + "'s file";
        throw new UserError(file + ": line 1 (" + got + ") is not how " + display + "'s files start (" + expected()
                + "); " + hint);
    }

    private String expected() {
        List<String> parts = new ArrayList<>();
        for (TsvLayout l : layouts) {
            parts.add(l.describe() + (l.labelled() ? "" : " for the unlabelled test file"));
        }
        return display + "'s layout: " + String.join(", or ", parts);
    }
}
