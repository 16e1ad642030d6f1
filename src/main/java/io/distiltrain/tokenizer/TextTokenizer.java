package io.distiltrain.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tokenizer of a Hugging Face model folder: text to ids and back, the vocabulary, the
 * special tokens, and saving the tokenizer files next to an exported model.
 *
 * <p>Loading prefers {@code tokenizer.json}; without it, {@code vocab.txt} (WordPiece) or
 * {@code vocab.json} + {@code merges.txt} (byte-level BPE) are turned into the tokenizer.json
 * that transformers would build from them. Tokenization itself runs in the native tokenizers
 * library through DJL. Nothing here truncates or pads, whatever tokenizer.json asks for: the
 * caller wraps and pads sequences itself.
 *
 * <p>Encoding and decoding are safe from several threads; {@link #close()} frees the native
 * tokenizer and must come after all of them. A batch is spread over as many threads as the native
 * library's own pool has: {@code RAYON_NUM_THREADS} when it is set, else one per core.
 */
public final class TextTokenizer implements AutoCloseable {

    /**
     * DJL's defaults are the opposite (special tokens on, truncation to 512 and padding on) and
     * it applies them over tokenizer.json's own settings; switch everything off explicitly.
     */
    private static final Map<String, String> NATIVE_OPTIONS = Map.of(
            "addSpecialTokens", "false",
            "withOverflowingTokens", "false",
            "truncation", "false",
            "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerFolder source;
    private final TokenizerDefinition definition;
    private final int modelMaxLength;
    /** The Java path for plain-ASCII words, or null when the tokenizer is not BERT's pipeline. */
    private final AsciiWordPiece asciiWordPiece;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, TokenizerFolder source,
            TokenizerDefinition definition) {
        this.tokenizer = tokenizer;
        this.asciiWordPiece = AsciiWordPiece.of(definition.tree());
        this.source = source;
        this.definition = definition;
        this.modelMaxLength = source.modelMaxLength();
    }

    /**
     * Loads the tokenizer of {@code modelDir}.
     *
     * @throws UserError when the folder has no tokenizer files, a file is unreadable or malformed,
     *     or a special token is missing from the vocabulary
     */
    public static TextTokenizer load(Path modelDir) {
        TokenizerFolder folder = TokenizerFolder.inspect(modelDir);
        TokenizerDefinition definition = TokenizerDefinition.of(folder);
        return new TextTokenizer(openNative(folder, definition), folder, definition);
    }

    private static HuggingFaceTokenizer openNative(TokenizerFolder folder, TokenizerDefinition definition) {
        try {
            return HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(definition.json()), NATIVE_OPTIONS);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte array cannot fail
        } catch (RuntimeException e) {
            // The Rust parser's message says what is wrong (unknown field, merge out of vocabulary).
            String what = definition.generated()
                    ? "the tokenizer.json generated from " + folder.format().files()
                    : "tokenizer.json";
            throw new UserError(what + " in " + folder.dir()
                    + " was rejected by the tokenizers library: " + e.getMessage(), e);
        }
    }

    /** The ids of {@code text} alone: no [CLS]/[SEP], no truncation, no padding. */
    public long[] encode(String text) {
        return encodeAll(List.of(text))[0];
    }

    /**
     * The ids of each text, as {@link #encode(String)}, spread over the tokenizer's threads.
     *
     * <p>For a BERT tokenizer the plain-ASCII words are tokenized in Java ({@link AsciiWordPiece},
     * several times faster than the native call) and the rest of each text in one native batch
     * call; the ids are the native tokenizer's either way.
     */
    public long[][] encodeAll(List<String> texts) {
        String[] input = nonNull(texts);
        if (asciiWordPiece == null) {
            return encodeNatively(input);
        }
        AsciiWordPiece.Pieces[] pieces = new AsciiWordPiece.Pieces[input.length];
        EncodingThreads.forEach(input.length, i -> pieces[i] = asciiWordPiece.encode(input[i]));
        List<String> spans = new ArrayList<>();
        int[] firstSpan = new int[input.length];
        for (int i = 0; i < input.length; i++) {
            firstSpan[i] = spans.size();
            spans.addAll(pieces[i].nativeSpans());
        }
        long[][] spanIds = spans.isEmpty() ? new long[0][] : encodeNatively(spans.toArray(String[]::new));
        long[][] ids = new long[input.length][];
        for (int i = 0; i < input.length; i++) {
            ids[i] = pieces[i].join(spanIds, firstSpan[i]);
        }
        return ids;
    }

    /**
     * The ids of each text, all from the native library, as {@link #encodeAll} gave them before it
     * had a Java path: for benchmarks and for checking that path.
     */
    public long[][] encodeAllNatively(List<String> texts) {
        return encodeNatively(nonNull(texts));
    }

    private static String[] nonNull(List<String> texts) {
        String[] input = texts.toArray(String[]::new);
        for (String t : input) {
            Objects.requireNonNull(t, "input text cannot be null");
        }
        return input;
    }

    private long[][] encodeNatively(String[] input) {
        // The native batch call, then the ids alone. DJL's batchEncode would copy every encoding's
        // type ids, tokens (as Java strings), word ids, sequence ids, attention and special-token
        // masks and character spans into Java as well, one after the other on this thread: that
        // took most of the time and kept the native threads waiting (docs/benchmarks.md).
        long[] encodings = TokenizersLibrary.LIB.batchEncode(tokenizer.getHandle(), input, false);
        long[][] ids = new long[encodings.length][];
        try {
            for (int i = 0; i < encodings.length; i++) {
                ids[i] = TokenizersLibrary.LIB.getTokenIds(encodings[i]);
            }
        } finally {
            for (long e : encodings) {
                TokenizersLibrary.LIB.deleteEncoding(e);
            }
        }
        return ids;
    }

    /**
     * The ids of {@code text} wrapped the way the tokenizer's post-processor does it for a single
     * sequence: [CLS] ... [SEP] for BERT, &lt;s&gt; ... &lt;/s&gt; for RoBERTa.
     */
    public long[] encodeWithSpecialTokens(String text) {
        return tokenizer.encode(text, true, false).getIds();
    }

    /** The text of {@code ids}; ids that no token has are left out. */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        String text = tokenizer.decode(ids, skipSpecialTokens);
        return source.cleanUpTokenizationSpaces() ? cleanUpSpaces(text) : text;
    }

    /** transformers' clean_up_tokenization: spaces before punctuation and English contractions. */
    static String cleanUpSpaces(String text) {
        return text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re");
    }

    /** The token with {@code id}, or null when no token has that id. */
    public String idToToken(long id) {
        return definition.vocab().token(id);
    }

    /** The id of {@code token} (exact vocabulary entry, e.g. "##ing"), or -1 if absent. */
    public long tokenToId(String token) {
        return definition.vocab().id(token);
    }

    /** One more than the largest id, added tokens included: the rows an embedding table needs. */
    public int vocabSize() {
        return definition.vocab().size();
    }

    public SpecialTokens specialTokens() {
        return definition.specials();
    }

    /**
     * The longest sequence, special tokens included, the model takes: tokenizer_config.json's
     * model_max_length, else derived from config.json's max_position_embeddings, else 512.
     */
    public int modelMaxLength() {
        return modelMaxLength;
    }

    /** One line for logs: which files, how casing was decided, how many ids. */
    public String description() {
        return definition.description();
    }

    /**
     * Writes this tokenizer's files into {@code outputDir} (created if needed) so that the folder
     * loads in transformers and in {@link #load(Path)} with the same tokenization.
     *
     * <p>The source folder's tokenizer files are copied as they are. A tokenizer.json generated at
     * load is written too; so is a tokenizer_config.json when the source had none, and when the
     * source's config leaves out a setting this package decided (do_lower_case for a cased
     * vocab.txt) the written copy states it.
     */
    public void saveTo(Path outputDir) {
        try {
            Files.createDirectories(outputDir);
            for (String name : TokenizerFolder.TOKENIZER_FILES) {
                if (source.has(name) && !name.equals(TokenizerFolder.TOKENIZER_CONFIG)) {
                    Files.copy(source.file(name), outputDir.resolve(name),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (definition.generated()) {
                Files.write(outputDir.resolve(TokenizerFolder.TOKENIZER_JSON), definition.json());
            }
            Path config = outputDir.resolve(TokenizerFolder.TOKENIZER_CONFIG);
            // Written explicitly, so that transformers' decode and ours agree on the space clean-up.
            ObjectNode family = definition.configFamily().deepCopy();
            family.put("clean_up_tokenization_spaces", source.cleanUpTokenizationSpaces());
            if (!source.has(TokenizerFolder.TOKENIZER_CONFIG)) {
                Files.write(config, Json.toBytes(TokenizerConfigJson.create(
                        family, definition.specials(), modelMaxLength)));
            } else if (definition.generated()) {
                ObjectNode completed = TokenizerConfigJson.completed(source.tokenizerConfig(), family);
                Files.write(config, Json.toBytes(completed));
            } else {
                Files.copy(source.file(TokenizerFolder.TOKENIZER_CONFIG), config,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UserError("cannot write the tokenizer files to " + outputDir + ": " + e, e);
        }
    }

    /** The tokenizer.json this tokenizer runs (generated when the folder had only vocabulary files). */
    byte[] tokenizerJson() {
        return definition.json();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
