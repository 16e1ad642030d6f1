package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A BERT tokenizer's WordPiece for the plain-ASCII words of a text, in Java; every other part of
 * the text is left to the native tokenizer, whose ids these equal exactly.
 *
 * <p>Why: the native library's batch call copies each string into Rust and back through JNI, and
 * DJL's build of it is older than Hugging Face's own; at one thread it ran level with Hugging
 * Face's {@code encode_batch} at best, and tokenization was two thirds of a Wikipedia
 * preparation's CPU time (docs/benchmarks.md). Most of English text, and the Latin-script words of
 * any Wikipedia, are ASCII words that need no Unicode at all.
 *
 * <p>Why the split is exact: BertNormalizer and BertPreTokenizer act on each character alone
 * (clean-up, CJK padding, accents, case, whitespace, punctuation), and WordPiece on each word
 * alone, so tokenizing the whitespace-separated chunks of a text one after the other gives the ids
 * of the whole text. A chunk is done here only when it is all printable ASCII (U+0021 - U+007E):
 * there the normalizer does nothing but lowercase, a word is a run of letters and digits, and every
 * other character is a punctuation word of its own. A chunk that may hold an added token (one of
 * their first characters, in either case) goes to the native tokenizer, which matches those on
 * the raw text before anything else. Runs of such chunks go as one span of the original text.
 *
 * <p>Used only for the exact pipeline this reasoning covers: a BertNormalizer (or none), the
 * BertPreTokenizer and a WordPiece model whose unknown token is in its vocabulary, and added
 * tokens without whitespace; {@link #of} returns null for any other tokenizer.json.
 */
final class AsciiWordPiece {
    private static final int FIRST = 0x21;
    private static final int LAST = 0x7E;

    private final TokenTable words;
    private final TokenTable continuations;
    private final int unknownId;
    private final int maxWordChars;
    private final boolean lowercase;
    /** Printable ASCII characters a chunk must not hold to be done here: added tokens start with them. */
    private final boolean[] nativeOnly = new boolean[128];

    private AsciiWordPiece(Map<String, Integer> vocab, String prefix, int unknownId, int maxWordChars,
            boolean lowercase, List<String> addedTokens) {
        this.words = new TokenTable(vocab, t -> isAscii(t) ? t : null);
        this.continuations = new TokenTable(vocab,
                t -> t.startsWith(prefix) && isAscii(t) ? t.substring(prefix.length()) : null);
        this.unknownId = unknownId;
        this.maxWordChars = maxWordChars;
        this.lowercase = lowercase;
        for (String token : addedTokens) {
            char c = token.charAt(0);
            for (char variant : new char[] {c, Character.toLowerCase(c), Character.toUpperCase(c)}) {
                if (variant < 128) {
                    nativeOnly[variant] = true;
                }
            }
        }
    }

    /** The fast path for {@code tokenizerJson}, or null when its pipeline is not the one covered. */
    static AsciiWordPiece of(JsonNode tokenizerJson) {
        JsonNode normalizer = tokenizerJson.path("normalizer");
        boolean lowercase;
        if (normalizer.isMissingNode() || normalizer.isNull()) {
            lowercase = false;
        } else if (normalizer.path("type").asText().equals("BertNormalizer")) {
            lowercase = normalizer.path("lowercase").asBoolean(true);
        } else {
            return null;
        }
        JsonNode model = tokenizerJson.path("model");
        if (!tokenizerJson.path("pre_tokenizer").path("type").asText().equals("BertPreTokenizer")
                || !model.path("type").asText().equals("WordPiece") || !model.path("vocab").isObject()) {
            return null;
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = model.get("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        Integer unknown = vocab.get(model.path("unk_token").asText("[UNK]"));
        List<String> added = new ArrayList<>();
        for (JsonNode token : tokenizerJson.path("added_tokens")) {
            String content = token.path("content").asText("");
            boolean normalizedNonAscii = token.path("normalized").asBoolean(false) && !isAscii(content);
            if (content.isEmpty() || normalizedNonAscii || content.chars().anyMatch(AsciiWordPiece::isSeparator)) {
                return null; // could match across chunks, or in a form only the normalizer knows
            }
            added.add(content);
        }
        if (unknown == null) {
            return null;
        }
        return new AsciiWordPiece(vocab, model.path("continuing_subword_prefix").asText("##"), unknown,
                model.path("max_input_chars_per_word").asInt(100), lowercase, added);
    }

    /**
     * The ids of one text, where the native tokenizer's are still to come: {@code -(k + 1)} in
     * {@code ids} stands for the ids of {@code nativeSpans.get(k)}.
     */
    record Pieces(int[] ids, List<String> nativeSpans) {
        /** The text's ids, given the ids of all spans of a batch and where this text's first one is. */
        long[] join(long[][] spanIds, int firstSpan) {
            int length = 0;
            for (int v : ids) {
                length += v >= 0 ? 1 : spanIds[firstSpan - v - 1].length;
            }
            long[] out = new long[length];
            int at = 0;
            for (int v : ids) {
                if (v >= 0) {
                    out[at++] = v;
                } else {
                    long[] span = spanIds[firstSpan - v - 1];
                    System.arraycopy(span, 0, out, at, span.length);
                    at += span.length;
                }
            }
            return out;
        }
    }

    /** What this class can do of {@code text}, and the spans of it the native tokenizer must. */
    Pieces encode(String text) {
        Ids out = new Ids(text.length() / 4 + 4);
        List<String> spans = new ArrayList<>(0);
        char[] word = new char[Math.max(16, Math.min(text.length(), maxWordChars))];
        int spanStart = -1;
        int spanEnd = -1;
        for (int i = 0; i < text.length(); ) {
            if (isSeparator(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            boolean here = true;
            for (; i < text.length() && !isSeparator(text.charAt(i)); i++) {
                char c = text.charAt(i);
                here &= c >= FIRST && c <= LAST && !nativeOnly[c];
            }
            if (!here) {
                spanStart = spanStart < 0 ? start : spanStart;
                spanEnd = i;
                continue;
            }
            if (spanStart >= 0) {
                out.add(-(spans.size() + 1));
                spans.add(text.substring(spanStart, spanEnd));
                spanStart = -1;
            }
            encodeChunk(text, start, i, word, out);
        }
        if (spanStart >= 0) {
            out.add(-(spans.size() + 1));
            spans.add(text.substring(spanStart, spanEnd));
        }
        return new Pieces(out.toArray(), spans);
    }

    /** BertPreTokenizer on a printable-ASCII chunk: letter-and-digit runs, and single punctuation. */
    private void encodeChunk(String text, int from, int to, char[] word, Ids out) {
        for (int i = from; i < to; ) {
            int start = i;
            if (isLetterOrDigit(text.charAt(i))) {
                while (i < to && isLetterOrDigit(text.charAt(i))) {
                    i++;
                }
            } else {
                i++;
            }
            encodeWord(text, start, i, word, out);
        }
    }

    /** WordPiece: the longest vocabulary entry at each position, or the unknown token for the word. */
    private void encodeWord(String text, int from, int to, char[] word, Ids out) {
        int length = to - from;
        if (length > maxWordChars) {
            out.add(unknownId);
            return;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(from + i);
            word[i] = lowercase && c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        int mark = out.size();
        for (int start = 0; start < length; ) {
            TokenTable table = start == 0 ? words : continuations;
            int id = -1;
            int end = length;
            for (; end > start; end--) {
                id = table.get(word, start, end);
                if (id >= 0) {
                    break;
                }
            }
            if (id < 0) {
                out.truncate(mark);
                out.add(unknownId);
                return;
            }
            out.add(id);
            start = end;
        }
    }

    /** The separators of chunks: the ASCII whitespace both sides split on and produce nothing for. */
    private static boolean isSeparator(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }

    /** A growable int array. */
    private static final class Ids {
        private int[] values;
        private int size;

        Ids(int capacity) {
            values = new int[capacity];
        }

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        void truncate(int newSize) {
            size = newSize;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
