package io.distiltrain.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** A few hundred lines of varied English, made up for the vocabulary tests. */
final class VocabCorpus {
    private VocabCorpus() {}

    private static final String[] SUBJECTS = {"The teacher", "A small student", "Every model", "The old compiler",
        "Our tokenizer", "This network", "The quick brown fox", "A careful reviewer"};
    private static final String[] VERBS = {"reads", "distils", "predicts", "tokenizes", "jumps over",
        "rewrites", "remembers", "evaluates"};
    private static final String[] OBJECTS = {"the lazy dog", "unbelievable sentences", "masked words",
        "thousands of documents", "the heldout corpus", "its own predictions", "naïve café menus",
        "numbers like 3.14 and 2,718"};

    static List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (int s = 0; s < SUBJECTS.length; s++) {
            for (int v = 0; v < VERBS.length; v++) {
                for (int o = 0; o < OBJECTS.length; o++) {
                    lines.add(SUBJECTS[s] + " " + VERBS[(v + s) % VERBS.length] + " "
                            + OBJECTS[(o + v) % OBJECTS.length] + (o % 2 == 0 ? "." : "!"));
                }
            }
        }
        return lines;
    }
}
