package io.distiltrain.data;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Whether a prepared dataset's tokenizer fits its text, judged by how much of the text became the
 * unknown token. A word that is [UNK] teaches the model nothing about itself, and training cannot
 * tell: {@link TrainingSequences} drops only sequences that are at least half [UNK], so a
 * tokenizer that loses one word in five still trains, on a fifth less text than it seems.
 */
public final class UnknownTokenCheck {
    /**
     * Warn when more than this share of the text's tokens are [UNK]. A vocabulary made from the
     * same kind of text stays far below it (the quickstart tokenizer on its held-out text: under
     * 1%, QuickstartTokenizerTest; a WordPiece vocabulary holding its text's whole alphabet, as
     * build-vocab makes, leaves only unseen characters unknown). The usual mistakes land far
     * above it: a cased tokenizer over a lowercase vocabulary makes every capitalised or accented
     * word [UNK] (9.3% of the tokens of the quickstart's held-out text, PrepareDataCommandTest),
     * and a vocabulary of other text, language or script most words. 5% is one token in twenty:
     * past what a fitting tokenizer gives even on noisy text, and below what those mistakes give.
     */
    public static final double WARN_ABOVE = 0.05;

    private UnknownTokenCheck() {
    }

    /**
     * The warning for {@code manifest}, fit to follow "warning: ", when its unknown-token rate is
     * above {@link #WARN_ABOVE}; empty when it is not, or when the manifest has no count.
     *
     * @param tokenizer names the tokenizer in the message (its folder)
     */
    public static Optional<String> warning(PreparedManifest manifest, Object tokenizer) {
        OptionalDouble rate = manifest.unknownRate();
        if (rate.isEmpty() || rate.getAsDouble() <= WARN_ABOVE) {
            return Optional.empty();
        }
        String unk = manifest.tokenizer().specialTokens().unk();
        return Optional.of(String.format(Locale.ROOT,
                "%.1f%% of the text's tokens are the unknown token %s (%,d of %,d; above %.0f%%): the tokenizer "
                        + "%s probably does not fit this text (made from other text or another language, or a "
                        + "cased/uncased mismatch, e.g. do_lower_case off over a lowercase vocabulary); the model "
                        + "would learn nothing about those words. Check the tokenizer, or build one from this text "
                        + "with build-vocab (with --cased for cased text)",
                100 * rate.getAsDouble(), unk, manifest.unknownTokens().getAsLong(), manifest.textTokens(),
                100 * WARN_ABOVE, tokenizer));
    }
}
