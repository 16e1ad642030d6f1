package io.distiltrain.data;

import java.util.Locale;

/**
 * The per-language table of the plan ({@code --dry-run} and the start of a run's log): tokens,
 * share q_i, probability p_i, training sequences, and how many passes over its sequences an
 * epoch reads. One table for both ways of reading, so that a concatenated run (S = 1) shows the
 * shares it trains with and a sampled one what smoothing changes.
 */
final class LanguageTable {
    private LanguageTable() {
    }

    /**
     * @param sequences training sequences per language, in the mixture's order
     * @param sampled whether epochs draw languages (S &lt; 1) or read every sequence once
     */
    static String describe(LanguageMixture mixture, int[] sequences, boolean sampled) {
        long epoch = 0;
        for (int m : sequences) {
            epoch += m;
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "languages: %d, from the training sequences' tokens; ", mixture.size()));
        out.append(sampled
                ? String.format(Locale.ROOT, "sampled with p_i = q_i^S / sum_j q_j^S, S = %s; an epoch is %,d draws%n",
                        mixture.smoothing(), epoch)
                : String.format(Locale.ROOT, "concatenated (S = 1): an epoch reads every sequence once%n"));
        out.append(String.format(Locale.ROOT, "    %-10s %17s %9s %9s %14s %13s%n", "language", "tokens", "share q",
                "prob. p", "sequences", "passes/epoch"));
        for (int i = 0; i < mixture.size(); i++) {
            double passes = sequences[i] == 0 ? 0 : sampled ? mixture.probability(i) * epoch / sequences[i] : 1;
            out.append(String.format(Locale.ROOT, "    %-10s %,17d %8.3f%% %8.3f%% %,14d %13.3f%n",
                    mixture.languages().get(i), mixture.tokens(i), 100 * mixture.share(i),
                    100 * mixture.probability(i), sequences[i], passes));
        }
        return out.toString();
    }
}
