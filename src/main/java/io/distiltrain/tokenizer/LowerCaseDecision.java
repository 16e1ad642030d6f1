package io.distiltrain.tokenizer;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a vocab.txt-only WordPiece tokenizer lowercases its input, and why.
 *
 * <p>Sources, strongest first:
 *
 * <ol>
 *   <li>tokenizer_config.json {@code do_lower_case}: what transformers reads.
 *   <li>config.json {@code do_lower_case}: some exports keep tokenizer settings there.
 *   <li>The vocabulary itself: if any of its first {@value #ENTRIES_CHECKED} ordinary entries
 *       changes under lowercasing (bert-base-cased has "A".."Z" near id 140), the vocabulary is
 *       cased. Lowercasing its input would make every such entry unreachable and tokenize text
 *       unlike the model was trained, so the tokenizer stays cased. This deliberately differs from
 *       transformers, which would lowercase (BertTokenizer's default) a folder that does not say;
 *       saving writes do_lower_case explicitly so that the saved folder means the same to both.
 *   <li>config.json's {@code _name_or_path}: "uncased" / "cased" in a checkpoint name.
 *   <li>Otherwise true, as bert-base-uncased and transformers' default.
 * </ol>
 *
 * <p>Uncased vocabularies contain no such entries at all, so the vocabulary check cannot turn an
 * uncased model cased; it only catches folders whose config omits the setting.
 */
record LowerCaseDecision(boolean lowerCase, String reason) {

    static final int ENTRIES_CHECKED = 2000;

    static LowerCaseDecision decide(TokenizerFolder folder, Vocabulary vocab) {
        Optional<Boolean> configured = Json.bool(folder.tokenizerConfig(), "do_lower_case");
        if (configured.isPresent()) {
            return new LowerCaseDecision(configured.get(), "do_lower_case in tokenizer_config.json");
        }
        Optional<Boolean> hinted = Json.bool(folder.modelConfig(), "do_lower_case");
        if (hinted.isPresent()) {
            return new LowerCaseDecision(hinted.get(), "do_lower_case in config.json");
        }
        Optional<String> cased = firstCasedEntry(vocab);
        if (cased.isPresent()) {
            return new LowerCaseDecision(false,
                    "vocab.txt has cased entries such as '" + cased.get() + "'");
        }
        String name = Json.text(folder.modelConfig(), "_name_or_path")
                .or(() -> Json.text(folder.modelConfig(), "name_or_path"))
                .orElse("")
                .toLowerCase(Locale.ROOT);
        if (name.contains("uncased")) {
            return new LowerCaseDecision(true, "'uncased' in config.json _name_or_path");
        }
        if (name.contains("cased")) {
            return new LowerCaseDecision(false, "'cased' in config.json _name_or_path");
        }
        return new LowerCaseDecision(true, "default (bert-base-uncased behaviour)");
    }

    /**
     * The first of the leading ordinary entries that lowercasing would change. Bracketed entries
     * ([CLS], [unused7]) are skipped: they are matched before normalization or never at all.
     */
    private static Optional<String> firstCasedEntry(Vocabulary vocab) {
        int checked = 0;
        for (int id = 0; id < vocab.size() && checked < ENTRIES_CHECKED; id++) {
            String token = vocab.token(id);
            if (token == null || (token.startsWith("[") && token.endsWith("]"))) {
                continue;
            }
            checked++;
            if (!token.equals(token.toLowerCase(Locale.ROOT))) {
                return Optional.of(token);
            }
        }
        return Optional.empty();
    }
}
