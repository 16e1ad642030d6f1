package io.distiltrain.tasks;

import java.util.Arrays;
import java.util.List;

/**
 * The columns of one kind of tab-separated task file, e.g. QNLI's train/dev files or its test file.
 *
 * @param head the header's first columns, exactly (for a headerless file: the names of all its
 *     columns, for messages only)
 * @param last the header's last column when the columns between head and it vary (MNLI's
 *     label1 [label2 .. label5] gold_label), else null
 * @param exact whether the header is exactly {@code head} (+ {@code last}); else it may go on
 * @param headerless whether line 1 is already an example (CoLA's train.tsv and dev.tsv)
 * @param textA the column of the first text
 * @param textB the column of the second text, -1 for single-sentence tasks
 * @param label the label (or score) column, {@link #LAST} for the header's last, -1 when unlabelled
 * @param language the column holding the language code (XNLI-1.0), -1 when there is none
 */
record TsvLayout(List<String> head, String last, boolean exact, boolean headerless, int textA, int textB,
        int label, int language) {
    /** {@link #label}: the header's last column, whatever its position. */
    static final int LAST = -2;

    /** A file whose header is exactly {@code header} (tab-separated). */
    static TsvLayout header(String header, int textA, int textB, int label) {
        return new TsvLayout(List.of(header.split("\t")), null, true, false, textA, textB, label, -1);
    }

    boolean labelled() {
        return label != -1;
    }

    boolean matches(String[] header) {
        if (headerless) {
            return false;
        }
        int need = head.size() + (last == null ? 0 : 1);
        if (exact ? header.length != need : header.length < need) {
            return false;
        }
        if (!Arrays.asList(header).subList(0, head.size()).equals(head)) {
            return false;
        }
        return last == null || header[header.length - 1].equals(last);
    }

    /** The label column in a file whose header has {@code columns} cells. */
    int labelColumn(int columns) {
        return label == LAST ? columns - 1 : label;
    }

    /** For messages: the header as it should read, "..." where columns may vary. */
    String describe() {
        String h = String.join("\\t", head);
        if (last != null) {
            h += "\\t...\\t" + last;
        } else if (!exact) {
            h += "\\t...";
        }
        return headerless ? "no header, columns " + h : "header " + h;
    }
}
