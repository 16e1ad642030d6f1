import io.distiltrain.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Long documents for data-scripts/bench-distill-base.sh: the lines of a text file joined, whole
 * words at a time, into documents of at most PIECES word pieces (the tokenizer's, without special
 * tokens), one a line. With PIECES 510 each document is one 512-token model input once [CLS] and
 * [SEP] are added, so training neither cuts it into a 512-token chunk and a short tail (it would,
 * past 512) nor pads it much: every batch is close to B x 512, the shape being measured.
 *
 * <p>Words are counted alone. BERT's normalizer and pre-tokenizer work within whitespace-separated
 * words, so a document's count is the sum of its words'; each document is tokenized whole at the
 * end to check that.
 *
 * <pre>java -cp target/distil-train.jar data-scripts/lib/LongDocuments.java TOKENIZER_DIR INPUT OUTPUT N PIECES</pre>
 */
public final class LongDocuments {
    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            fail("usage: LongDocuments TOKENIZER_DIR INPUT OUTPUT N PIECES");
        }
        int wanted = Integer.parseInt(args[3]);
        int budget = Integer.parseInt(args[4]);
        List<String> docs = new ArrayList<>();
        try (TextTokenizer tok = TextTokenizer.load(Path.of(args[0]))) {
            StringBuilder doc = new StringBuilder();
            int pieces = 0;
            for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
                List<String> words = Arrays.stream(line.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
                if (words.isEmpty()) {
                    continue;
                }
                long[][] ids = tok.encodeAll(words);
                for (int i = 0; i < words.size() && docs.size() < wanted; i++) {
                    if (pieces + ids[i].length > budget && pieces > 0) {
                        docs.add(doc.toString());
                        doc.setLength(0);
                        pieces = 0;
                    }
                    doc.append(doc.length() == 0 ? "" : " ").append(words.get(i));
                    pieces += ids[i].length;
                }
                if (docs.size() == wanted) {
                    break;
                }
            }
            if (docs.size() < wanted) {
                fail(args[1] + " makes only " + docs.size() + " documents of " + budget + " pieces; ask for fewer");
            }
            report(tok, docs, budget);
        }
        Files.write(Path.of(args[2]), docs, StandardCharsets.UTF_8);
    }

    /** Checks each document whole against the budget and prints what was made. */
    private static void report(TextTokenizer tok, List<String> docs, int budget) {
        long[][] ids = tok.encodeAll(docs);
        int min = Integer.MAX_VALUE;
        int max = 0;
        long sum = 0;
        long chars = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length > budget) {
                fail("document " + i + " has " + ids[i].length + " pieces tokenized whole, over " + budget
                        + ": this tokenizer does not split within words only");
            }
            min = Math.min(min, ids[i].length);
            max = Math.max(max, ids[i].length);
            sum += ids[i].length;
            chars += docs.get(i).length();
        }
        System.err.printf("%d documents of %d - %d word pieces (mean %.1f), %.0f characters on average%n",
                docs.size(), min, max, (double) sum / docs.size(), (double) chars / docs.size());
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(2);
    }
}
