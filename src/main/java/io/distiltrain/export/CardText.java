package io.distiltrain.export;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text of README.md below the front matter, in the order of the released DistilBERT and
 * DistilRoBERTa cards: what the model is, how to use it and what not to use it for, its data, its
 * training, its evaluation, teacher against student, the licence. A section whose data the card
 * lacks (a card.json of an older checkpoint) is shortened, not filled with guesses.
 */
final class CardText {
    private CardText() {
    }

    /** The run's name; for a card saved before it was recorded, the folder's. */
    static String title(ModelCard c, String folderName) {
        return blank(c.title()) ? folderName : c.title();
    }

    static String body(ModelCard c, String folderName) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title(c, folderName)).append("\n\n");
        summary(c, md);
        CardTables.modelDetails(c, md);
        uses(c, folderName, md);
        CardTables.trainingData(c, md);
        CardTables.trainingProcedure(c, md);
        evaluation(c, md);
        CardTables.comparison(c, md);
        licence(c, md);
        return md.toString();
    }

    /** The opening paragraph: what was distilled from what, and whether this is the end of the run. */
    private static void summary(ModelCard c, StringBuilder md) {
        String family = blank(c.modelType()) ? "" : c.modelType() + " ";
        if (blank(c.teacher())) {
            md.append("A ").append(family).append("masked-language model trained with distil-train ")
                    .append("on the masked-LM loss alone (no teacher).");
        } else {
            md.append("A ").append(family).append("masked-language model distilled with distil-train from the teacher ")
                    .append(teacherLink(c)).append(", following the DistilBERT recipe (soft-target KL at temperature T, ")
                    .append("masked-LM loss, cosine loss on the last hidden states).");
        }
        ModelCard.Architecture s = c.studentModel();
        if (s != null) {
            md.append(String.format(Locale.ROOT, " It has %d layers, hidden size %d and %d attention heads, %s "
                    + "parameters in all", s.layers(), s.hiddenSize(), s.heads(), count(s.parameters())));
            ModelCard.Architecture t = c.teacherModel();
            md.append(t == null ? "." : String.format(Locale.ROOT, " (the teacher has %s).", count(t.parameters())));
        }
        md.append("\n\n");
        if (c.intermediate()) {
            md.append("**This is an intermediate checkpoint:** the checkpoint at ").append(stepOf(c))
                    .append(", not the end of training.\n\n");
        } else if (c.training() != null && c.training().plannedSteps() != null) {
            md.append("Exported at the end of training (optimizer step ").append(c.optimizerSteps()).append(").\n\n");
        }
    }

    /** The teacher by its Hub id, linked, or by the name it had here. */
    static String teacherLink(ModelCard c) {
        return c.baseModel() != null ? "[`" + c.baseModel() + "`](https://huggingface.co/" + c.baseModel() + ")"
                : "`" + c.teacher() + "`";
    }

    /** "step 52 of 60". */
    static String stepOf(ModelCard c) {
        return "step " + c.optimizerSteps() + " of " + c.training().plannedSteps();
    }

    /** Intended uses, the usage snippet, and the limitations, as the released cards put them. */
    private static void uses(ModelCard c, String folderName, StringBuilder md) {
        md.append("## Intended uses and limitations\n\n")
                .append("The model fills in masked tokens, and is above all a base to fine-tune on tasks that use the ")
                .append("whole (possibly masked) sentence to decide: sequence classification, token classification, ")
                .append("extractive question answering. It is an encoder: it does not generate text; for that, use a ")
                .append("generative model.\n\n");
        md.append("### How to use\n\n```python\nfrom transformers import pipeline\n")
                .append("unmasker = pipeline(\"fill-mask\", model=\"").append(folderName).append("\")\n")
                .append("unmasker(f\"Hello, I'm a {unmasker.tokenizer.mask_token} model.\")\n```\n\n")
                .append("or, to fine-tune it, `AutoModelForMaskedLM.from_pretrained(\"").append(folderName)
                .append("\")` and `AutoTokenizer.from_pretrained(\"").append(folderName).append("\")`.\n\n");
        md.append("### Limitations and bias\n\n");
        if (!blank(c.teacher())) {
            md.append("- It learnt to imitate ").append(teacherLink(c)).append(", and inherits its biases, as the ")
                    .append("released distilled models inherit their teachers'; see the teacher's card.\n");
        }
        md.append("- It inherits the biases and gaps of its training data (below): text it saw little of, in ")
                .append("language, domain or register, it models worse. Predictions can reproduce harmful stereotypes; ")
                .append("do not use it to make decisions about people without evaluating that use.\n")
                .append("- Its own evaluation is narrow: masked-token accuracy and perplexity on one held-out set of ")
                .append("the same kind of data, not downstream tasks; fine-tune and measure on your task before relying ")
                .append("on it.\n\n");
    }

    /** Held-out masked-LM figures, teacher's and student's, and the dataset they came from. */
    private static void evaluation(ModelCard c, StringBuilder md) {
        md.append("## Evaluation results\n\n");
        Map<String, Double> e = c.evaluation();
        if (e.isEmpty()) {
            md.append("Not evaluated").append(c.intermediate() ? " at this checkpoint" : "")
                    .append(". Run `java -jar distil-train.jar evaluate --model . --data HELD_OUT`.\n\n");
            return;
        }
        md.append("Held-out masked-LM evaluation").append(heldOutText(c)).append(": 15% of the tokens masked with a ")
                .append("fixed seed, the same masks for teacher and student.");
        if (c.heldOut() != null && c.heldOut().trainingData()) {
            md.append(" **This is the training data itself**, so the figures say how well the student fits what ")
                    .append("it saw, not how well it generalises.");
        }
        md.append("\n\n");
        boolean teacher = e.containsKey("teacher_mlm_accuracy");
        md.append(teacher ? "| metric | teacher | student |\n| --- | --- | --- |\n" : "| metric | student |\n| --- | --- |\n");
        row(md, "masked-LM accuracy", teacher, e.get("teacher_mlm_accuracy"), e.get("mlm_accuracy"), true);
        row(md, "masked-LM perplexity", teacher, e.get("teacher_mlm_perplexity"), e.get("mlm_perplexity"), false);
        new TreeMap<>(e).forEach((k, v) -> {
            if (!k.matches("(teacher_)?mlm_(accuracy|perplexity)")) {
                md.append("| ").append(k).append(teacher ? " | | " : " | ").append(fixed(v)).append(" |\n");
            }
        });
        md.append("\n");
    }

    /** " on `heldout` (1,000 sequences, 120,000 tokens; from the Hub dataset org/name)", or "" when unknown. */
    static String heldOutText(ModelCard c) {
        ModelCard.HeldOut h = c.heldOut();
        if (h == null) {
            return "";
        }
        return String.format(Locale.ROOT, " on `%s` (%s sequences, %s tokens%s)", h.name(), count(h.sequences()),
                count(h.tokens()), h.hubDataset() == null ? ""
                        : "; from the Hub dataset [" + h.hubDataset() + "](https://huggingface.co/datasets/"
                        + h.hubDataset() + ")");
    }

    private static void row(StringBuilder md, String name, boolean teacher, Double t, Double s, boolean percent) {
        if (s == null) {
            return;
        }
        md.append("| ").append(name).append(" | ");
        if (teacher) {
            md.append(metric(t, percent)).append(" | ");
        }
        md.append(metric(s, percent)).append(" |\n");
    }

    static String metric(Double v, boolean percent) {
        if (v == null) {
            return "";
        }
        return percent ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The front matter's licence, and why the teacher's and the data's terms still apply. */
    private static void licence(ModelCard c, StringBuilder md) {
        md.append("## Licence\n\n");
        md.append("The metadata above declares `").append(c.license()).append("`");
        if (ModelCard.DEFAULT_LICENSE.equals(c.license())) {
            md.append(", the licence of distil-train and of most teachers it distils (BERT, multilingual BERT and ")
                    .append("DistilBERT; RoBERTa is MIT)");
        }
        md.append(". This model derives from ");
        if (blank(c.teacher())) {
            md.append("its training data");
        } else {
            md.append("the teacher `").append(c.teacher()).append("` and its training data");
        }
        if (!blank(c.dataset())) {
            md.append(" (`").append(c.dataset()).append("`)");
        }
        md.append(", whose terms apply to it as well: check them, and change `license:` if they differ.\n");
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String fixed(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
