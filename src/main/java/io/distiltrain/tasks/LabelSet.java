package io.distiltrain.tasks;

import java.util.List;
import java.util.Map;

/**
 * Label names in id order, and how a file's label cell becomes an id: the name itself, or the id
 * written as a number, the way Hugging Face {@code datasets}' GLUE builder reads them ("0"/"1" in
 * CoLA, SST-2, MRPC, QQP and WNLI; names in MNLI, QNLI, RTE and XNLI). An alias maps another
 * spelling to a name (XNLI-MT writes "contradictory" where XNLI writes "contradiction").
 */
record LabelSet(List<String> names, Map<String, String> aliases) {
    LabelSet {
        names = List.copyOf(names);
        aliases = Map.copyOf(aliases);
    }

    LabelSet(List<String> names) {
        this(names, Map.of());
    }

    /** The id of {@code cell} (or of the name it is an alias of), or -1 when it is neither a name nor an id in range. */
    int id(String cell) {
        int byName = names.indexOf(aliases.getOrDefault(cell, cell));
        if (byName >= 0) {
            return byName;
        }
        if (cell.isEmpty() || cell.length() > 9 || !cell.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int id = Integer.parseInt(cell);
        return id < names.size() ? id : -1;
    }

    /** For messages: "0 or unacceptable, 1 or acceptable". */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(i).append(" or ").append(names.get(i));
        }
        return b.toString();
    }
}
