package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import io.distiltrain.UserError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which strings are the special tokens of a folder and finds their ids.
 *
 * <p>Names come from tokenizer_config.json / special_tokens_map.json when they state them, else
 * from the vocabulary's style: "[CLS]" in the vocabulary means BERT names, anything else RoBERTa
 * names. A name that is not in the vocabulary is an error rather than a silent [UNK]: a model
 * whose mask token maps to [UNK] would distill garbage without complaint.
 */
final class SpecialTokenResolver {
    private SpecialTokenResolver() {}

    private enum Role {
        CLS("cls_token", "[CLS]", "<s>"),
        SEP("sep_token", "[SEP]", "</s>"),
        PAD("pad_token", "[PAD]", "<pad>"),
        UNK("unk_token", "[UNK]", "<unk>"),
        MASK("mask_token", "[MASK]", "<mask>");

        final String key;
        final String bertName;
        final String robertaName;

        Role(String key, String bertName, String robertaName) {
            this.key = key;
            this.bertName = bertName;
            this.robertaName = robertaName;
        }
    }

    static SpecialTokens resolve(TokenizerFolder folder, Vocabulary vocab) {
        boolean bertStyle = vocab.contains(Role.CLS.bertName);
        Map<Role, String> names = new LinkedHashMap<>();
        Map<Role, Long> ids = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            Optional<JsonNode> configured = configured(folder, role.key);
            String name = configured.map(SpecialTokenResolver::content)
                    .orElse(bertStyle ? role.bertName : role.robertaName);
            int id = vocab.id(name);
            if (id < 0) {
                String source = configured.isPresent()
                        ? "named in " + TokenizerFolder.TOKENIZER_CONFIG + " / "
                                + TokenizerFolder.SPECIAL_TOKENS_MAP
                        : "the default for a " + (bertStyle ? "BERT" : "RoBERTa") + "-style vocabulary";
                throw new UserError("special token " + role.key + " '" + name + "' (" + source
                        + ") is not in the vocabulary of " + folder.dir() + " ("
                        + folder.format().files() + "); add it to the vocabulary or set "
                        + role.key + " in " + TokenizerFolder.TOKENIZER_CONFIG
                        + " to a token that exists");
            }
            names.put(role, name);
            ids.put(role, (long) id);
        }
        return new SpecialTokens(
                names.get(Role.CLS), ids.get(Role.CLS),
                names.get(Role.SEP), ids.get(Role.SEP),
                names.get(Role.PAD), ids.get(Role.PAD),
                names.get(Role.UNK), ids.get(Role.UNK),
                names.get(Role.MASK), ids.get(Role.MASK));
    }

    /**
     * The added_tokens of a tokenizer.json generated from slow-tokenizer files: the five special
     * tokens, with flags from their config objects where given, plus entries of
     * tokenizer_config.json's added_tokens_decoder.
     *
     * <p>Tokens that the slow files add beyond the vocabulary (added_tokens.json, or an
     * added_tokens_decoder entry whose id holds another token) are refused: reproducing how
     * transformers appends them is not worth guessing at, and transformers itself writes a
     * tokenizer.json, which this package loads as it is.
     *
     * @param maskLstrip RoBERTa's mask swallows the space before it (see {@link AddedToken})
     */
    static List<AddedToken> addedTokensForGenerated(
            TokenizerFolder folder, Vocabulary vocab, SpecialTokens specials, boolean maskLstrip) {
        Map<String, AddedToken> byContent = new LinkedHashMap<>();
        addSpecial(byContent, folder, Role.PAD, specials.pad(), specials.padId(), false);
        addSpecial(byContent, folder, Role.UNK, specials.unk(), specials.unkId(), false);
        addSpecial(byContent, folder, Role.CLS, specials.cls(), specials.clsId(), false);
        addSpecial(byContent, folder, Role.SEP, specials.sep(), specials.sepId(), false);
        addSpecial(byContent, folder, Role.MASK, specials.mask(), specials.maskId(), maskLstrip);

        JsonNode decoder = folder.tokenizerConfig().path("added_tokens_decoder");
        for (Iterator<Map.Entry<String, JsonNode>> it = decoder.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String content = entry.getValue().path("content").asText();
            long id = parseId(entry.getKey());
            requireInVocabulary(folder, vocab, content, id,
                    TokenizerFolder.TOKENIZER_CONFIG + " added_tokens_decoder");
            AddedToken base = byContent.getOrDefault(content,
                    new AddedToken(id, content, false, false, false, true, false));
            byContent.put(content, base.withFlagsFrom(entry.getValue()));
        }
        if (folder.has(TokenizerFolder.ADDED_TOKENS)) {
            JsonNode added = Json.read(folder.file(TokenizerFolder.ADDED_TOKENS));
            for (Iterator<Map.Entry<String, JsonNode>> it = added.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                requireInVocabulary(folder, vocab, entry.getKey(), entry.getValue().asLong(-1),
                        TokenizerFolder.ADDED_TOKENS);
            }
        }
        List<AddedToken> tokens = new ArrayList<>(byContent.values());
        tokens.sort((a, b) -> Long.compare(a.id(), b.id()));
        return tokens;
    }

    private static void addSpecial(Map<String, AddedToken> byContent, TokenizerFolder folder,
            Role role, String content, long id, boolean lstrip) {
        AddedToken token = AddedToken.special(id, content, lstrip);
        Optional<JsonNode> configured = configured(folder, role.key);
        if (configured.isPresent() && configured.get().isObject()) {
            token = token.withFlagsFrom(configured.get());
        }
        byContent.putIfAbsent(content, token);
    }

    private static void requireInVocabulary(
            TokenizerFolder folder, Vocabulary vocab, String content, long id, String source) {
        if (vocab.id(content) != id) {
            throw new UserError(source + " in " + folder.dir() + " adds token '" + content
                    + "' with id " + id + ", which is not that token's id in "
                    + folder.format().files() + "; tokens added beyond the vocabulary are"
                    + " supported only through tokenizer.json (save the tokenizer with"
                    + " transformers to get one)");
        }
    }

    private static long parseId(String key) {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The configured value for {@code key}, a string or an AddedToken object. transformers lets
     * special_tokens_map.json override tokenizer_config.json in folders of the older layout, but
     * reads only tokenizer_config.json once it carries added_tokens_decoder (the newer layout);
     * the same order is kept here.
     */
    private static Optional<JsonNode> configured(TokenizerFolder folder, String key) {
        boolean newerLayout = folder.tokenizerConfig().has("added_tokens_decoder");
        JsonNode first = newerLayout ? folder.tokenizerConfig() : folder.specialTokensMap();
        JsonNode second = newerLayout ? folder.specialTokensMap() : folder.tokenizerConfig();
        return usable(first.get(key)).or(() -> usable(second.get(key)));
    }

    private static Optional<JsonNode> usable(JsonNode value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isTextual() || (value.isObject() && value.path("content").isTextual())) {
            return Optional.of(value);
        }
        return Optional.empty();
    }

    private static String content(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.path("content").textValue();
    }
}
