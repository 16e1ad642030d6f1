package io.distiltrain.cli;

import io.distiltrain.UserError;
import io.distiltrain.tokenizer.TextTokenizer;
import io.distiltrain.tokenizer.TokenizationStats;
import io.distiltrain.tokenizer.WordPieceFolder;
import io.distiltrain.tokenizer.WordPieceVocabBuilder;
import java.nio.file.Path;
import java.util.List;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "build-vocab", mixinStandardHelpOptions = true,
        description = {"Build a BERT WordPiece tokenizer (vocab.txt, tokenizer_config.json, tokenizer.json)"
                + " from text files, one document a line.",
            "Prints the vocabulary size and how much of the input becomes [UNK]."})
final class BuildVocabCommand implements Callable<Integer> {
    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "New or empty folder for the tokenizer files.")
    Path output;

    @Option(names = "--size", required = true, paramLabel = "N",
            description = "Vocabulary size, special tokens included (BERT uses 30522).")
    int size;

    @Option(names = "--cased", description = "Keep case and accents (default: lowercase and strip accents, as bert-base-uncased).")
    boolean cased;

    @Option(names = "--max-length", defaultValue = "128", paramLabel = "N",
            description = "model_max_length written to tokenizer_config.json. Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "UTF-8 text files.")
    List<Path> files;

    /** Room for [CLS] and [SEP] and at least one token of text. */
    private static final int MIN_MAX_LENGTH = 3;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int minSize = WordPieceVocabBuilder.SPECIAL_TOKENS.size() + 1;
        if (size < minSize) {
            throw new UserError("--size must be at least " + minSize + " (the special tokens and one more)");
        }
        if (maxLength < MIN_MAX_LENGTH) {
            throw new UserError("--max-length must be at least " + MIN_MAX_LENGTH);
        }
        files.forEach(file -> Common.existingFile(file, "FILE"));
        Common.requireFreshDir(output, "--output");

        InputLines input = new InputLines(files);
        WordPieceVocabBuilder.Learned learned = WordPieceVocabBuilder.learn(input, size, !cased);
        requireText(learned);
        List<String> vocab = learned.tokens();
        WordPieceFolder.write(output, vocab, !cased, maxLength);
        TokenizationStats stats;
        try (TextTokenizer tokenizer = TextTokenizer.load(output)) {
            stats = TokenizationStats.measure(tokenizer, input);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + output + ": vocab.txt, tokenizer_config.json, tokenizer.json ("
                + (cased ? "cased" : "lowercased") + ", model_max_length " + maxLength + ")");
        out.println("vocabulary: " + vocab.size() + " tokens"
                + (vocab.size() < size ? " (the input has no more pairs to merge; asked for " + size + ")" : ""));
        out.println("input: " + stats.summary());
        out.flush();
        return 0;
    }

    /** Five special tokens and nothing else would load, and every word would be [UNK]: refused. */
    private void requireText(WordPieceVocabBuilder.Learned learned) {
        if (learned.words() > 0) {
            return;
        }
        boolean one = files.size() == 1;
        throw new UserError(String.join(", ", files.stream().map(Path::toString).toList())
                + (one ? ": holds no text (it is empty, or has" : ": hold no text (they are empty, or have")
                + " only blank lines or words of over " + WordPieceVocabBuilder.MAX_WORD_CHARS
                + " characters); give UTF-8 text, one document a line");
    }
}
