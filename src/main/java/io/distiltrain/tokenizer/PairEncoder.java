package io.distiltrain.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Texts and text pairs as a classifier's inputs, exactly as transformers' fast tokenizer makes
 * them for {@code tokenizer(a, b, truncation=True, max_length=L)}: the post-processor's special
 * tokens ([CLS] a [SEP] b [SEP] with token types 0 and 1 for BERT; &lt;s&gt; a &lt;/s&gt;&lt;/s&gt; b &lt;/s&gt;
 * for RoBERTa), and the longest of the two cut first until the whole fits {@code L}.
 *
 * <p>Its own native tokenizer, with truncation on, so that {@link TextTokenizer}'s (which must
 * never truncate: prepared datasets keep whole documents) is left as it is.
 */
public final class PairEncoder implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    /** One model input: ids and token types, of equal length. */
    public record Encoded(long[] ids, long[] typeIds) {
    }

    public PairEncoder(TextTokenizer text, int maxLength) {
        if (maxLength < 4) {
            throw new IllegalArgumentException("max length " + maxLength + " leaves no room for a text");
        }
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(text.tokenizerJson()),
                    Map.of("addSpecialTokens", "true", "withOverflowingTokens", "false", "truncation", "false",
                            "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array cannot fail to read
        }
        TokenizersLibrary.LIB.setTruncation(tokenizer.getHandle(), maxLength, "LONGEST_FIRST", 0); // DJL's enum name, what its native side parses
    }

    /** Each text ({@code b} null) or pair {@code (a[i], b[i])}, encoded as one batch on the native threads. */
    public Encoded[] encode(List<String> a, List<String> b) {
        String[] first = a.toArray(String[]::new);
        long handle = tokenizer.getHandle();
        long[] encodings = b == null ? TokenizersLibrary.LIB.batchEncode(handle, first, true)
                : TokenizersLibrary.LIB.batchEncodePair(handle, first, b.toArray(String[]::new), true);
        Encoded[] out = new Encoded[encodings.length];
        try {
            for (int i = 0; i < encodings.length; i++) {
                out[i] = new Encoded(TokenizersLibrary.LIB.getTokenIds(encodings[i]),
                        TokenizersLibrary.LIB.getTypeIds(encodings[i]));
            }
        } finally {
            for (long e : encodings) {
                TokenizersLibrary.LIB.deleteEncoding(e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
