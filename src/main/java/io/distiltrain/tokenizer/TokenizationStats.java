package io.distiltrain.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a tokenizer does on some text: how many tokens the lines become and how many of those
 * are the unknown token. A vocabulary that leaves many words [UNK] teaches the model nothing
 * about them, so this is the first number to look at after building one.
 *
 * @param lines lines read, empty ones included
 * @param tokens tokens produced, special tokens not added
 * @param unknown how many of {@code tokens} are the unknown token
 */
public record TokenizationStats(long lines, long tokens, long unknown) {

    /** Lines per native call: enough to use the library's threads, little memory. */
    private static final int BATCH = 1024;

    public static TokenizationStats measure(TextTokenizer tokenizer, Iterable<String> text) {
        TokenizationStats total = new TokenizationStats(0, 0, 0);
        List<String> batch = new ArrayList<>(BATCH);
        for (String line : text) {
            batch.add(line);
            if (batch.size() == BATCH) {
                total = total.plus(count(tokenizer, batch));
                batch.clear();
            }
        }
        return total.plus(count(tokenizer, batch));
    }

    private static TokenizationStats count(TextTokenizer tokenizer, List<String> batch) {
        if (batch.isEmpty()) {
            return new TokenizationStats(0, 0, 0);
        }
        long unkId = tokenizer.specialTokens().unkId();
        long tokens = 0;
        long unknown = 0;
        for (long[] ids : tokenizer.encodeAll(batch)) {
            tokens += ids.length;
            for (long id : ids) {
                unknown += id == unkId ? 1 : 0;
            }
        }
        return new TokenizationStats(batch.size(), tokens, unknown);
    }

    public TokenizationStats plus(TokenizationStats other) {
        return new TokenizationStats(lines + other.lines, tokens + other.tokens, unknown + other.unknown);
    }

    /** Unknown tokens per token, 0 for no tokens. */
    public double unknownRate() {
        return tokens == 0 ? 0 : (double) unknown / tokens;
    }

    public double tokensPerLine() {
        return lines == 0 ? 0 : (double) tokens / lines;
    }

    /** "812 lines, 33,012 tokens (40.7 a line), 3 [UNK] (0.009%)". */
    public String summary() {
        return String.format(Locale.ROOT, "%,d lines, %,d tokens (%.1f a line), %,d [UNK] (%.3f%%)",
                lines, tokens, tokensPerLine(), unknown, 100 * unknownRate());
    }
}
