package io.distiltrain.tasks;

import static io.distiltrain.tasks.TsvLayout.LAST;
import static io.distiltrain.tasks.TsvLayout.header;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The column layouts of GLUE's files as the GLUE download (gluebenchmark.com's zips, fetched by
 * {@code download_glue_data.py}) and XNLI's zips hold them. The column indices are those of
 * transformers' legacy processors ({@code transformers/data/processors/glue.py}, {@code xnli.py});
 * the header names those of the files, which datasets' GLUE builder reads by name. Each task has
 * its labelled layout (train.tsv, dev.tsv) first and its test layout (no label column) second.
 */
final class GlueLayouts {
    private GlueLayouts() {
    }

    private static final String MNLI_HEAD = "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\t"
            + "sentence2_binary_parse\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2";
    private static final String XNLI_HEAD = "language\tgold_label\tsentence1_binary_parse\t"
            + "sentence2_binary_parse\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tpromptID\t"
            + "pairID\tgenre";
    private static final String STSB_HEAD = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\t"
            + "sentence1\tsentence2";

    /** Task name -> its layouts, labelled first. */
    static final Map<String, List<TsvLayout>> LAYOUTS = layouts();

    private static Map<String, List<TsvLayout>> layouts() {
        Map<String, List<TsvLayout>> m = new LinkedHashMap<>();
        // CoLA's train/dev are the only GLUE files without a header: source, label, the original
        // judgement ("*" when unacceptable, else empty), sentence.
        m.put("cola", List.of(new TsvLayout(List.of("source", "label", "original_label", "sentence"), null, true,
                true, 3, -1, 1, -1), header("index\tsentence", 1, -1, -1)));
        m.put("sst2", List.of(header("sentence\tlabel", 0, -1, 1), header("index\tsentence", 1, -1, -1)));
        // MRPC's train/dev keep msr_paraphrase_train.txt's header (and its BOM); the test file gets
        // an index where Quality was.
        m.put("mrpc", List.of(header("Quality\t#1 ID\t#2 ID\t#1 String\t#2 String", 3, 4, 0),
                header("index\t#1 ID\t#2 ID\t#1 String\t#2 String", 3, 4, -1)));
        m.put("stsb", List.of(header(STSB_HEAD + "\tscore", 7, 8, 9), header(STSB_HEAD, 7, 8, -1)));
        m.put("qqp", List.of(header("id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate", 3, 4, 5),
                header("id\tquestion1\tquestion2", 1, 2, -1)));
        // MNLI's train has label1 before gold_label, its dev files label1..label5: gold_label is last.
        List<TsvLayout> mnli = List.of(new TsvLayout(List.of(MNLI_HEAD.split("\t")), "gold_label", false, false,
                8, 9, LAST, -1), header(MNLI_HEAD, 8, 9, -1));
        m.put("mnli", mnli);
        m.put("mnli-mm", mnli);
        m.put("qnli", List.of(header("index\tquestion\tsentence\tlabel", 1, 2, 3),
                header("index\tquestion\tsentence", 1, 2, -1)));
        m.put("rte", List.of(header("index\tsentence1\tsentence2\tlabel", 1, 2, 3),
                header("index\tsentence1\tsentence2", 1, 2, -1)));
        m.put("wnli", m.get("rte"));
        // XNLI-1.0's dev and test files are both labelled and hold all 15 languages; the columns
        // after genre (label1..label5, the tokenized sentences, match) are not read. XNLI-MT's
        // machine-translated MNLI train files are one language each: premise, hypo, label.
        m.put("xnli", List.of(new TsvLayout(List.of(XNLI_HEAD.split("\t")), null, false, false, 6, 7, 1, 0),
                header("premise\thypo\tlabel", 0, 1, 2)));
        return m;
    }

    /** GLUE's file names for a task: train, dev, test. */
    static List<String> fileNames(String task) {
        return switch (task) {
            case "mnli" -> List.of("train.tsv", "dev_matched.tsv", "test_matched.tsv");
            case "mnli-mm" -> List.of("train.tsv", "dev_mismatched.tsv", "test_mismatched.tsv");
            case "xnli" -> List.of("multinli.train.<language>.tsv", "xnli.dev.tsv", "xnli.test.tsv");
            default -> List.of("train.tsv", "dev.tsv", "test.tsv");
        };
    }

    /** The tasks whose files have this header, for "is this the wrong task's file?" messages. */
    static List<String> tasksWithHeader(String[] header) {
        return LAYOUTS.entrySet().stream()
                .filter(e -> !e.getKey().equals("mnli-mm") && e.getValue().stream().anyMatch(l -> l.matches(header)))
                .map(Map.Entry::getKey).toList();
    }
}
