package io.distiltrain.data;

import io.distiltrain.FormatVersion;
import io.distiltrain.tokenizer.SpecialTokens;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What manifest.json says about a prepared dataset: how it was made, with which tokenizer, from
 * which files, and the files that hold it (docs/data-format.md).
 *
 * @param createdBy the tool and version that wrote the dataset
 * @param idWidth how ids are stored in the shards
 * @param sequences stored sequences over all shards, each {@code CLS ids SEP}
 * @param tokens stored ids over all shards, CLS and SEP included
 * @param unknownTokens how many of {@code tokens} are the tokenizer's unknown token; empty for
 *     datasets prepared before the count was recorded
 * @param tokenCounts the counts file: how often each id occurs in the whole dataset
 * @param languages sequences and tokens per language tag, for datasets prepared from tagged
 *     corpus sources (Wikipedia dumps, JSONL with a lang field); empty otherwise
 */
public record PreparedManifest(
        String createdBy,
        TokenizerIdentity tokenizer,
        IdWidth idWidth,
        long sequences,
        long tokens,
        OptionalLong unknownTokens,
        List<SourceFile> sources,
        List<ShardFile> shards,
        StoredFile tokenCounts,
        PrepareOptions options,
        java.util.Map<String, LanguageCount> languages) {

    public static final String FILE = "manifest.json";
    public static final String FORMAT = "distil-train-prepared-dataset";
    /** The version this build writes. */
    public static final int VERSION = 1;
    /** The versions this build reads: only its own so far. */
    public static final FormatVersion VERSIONS = FormatVersion.single("prepared-dataset", VERSION);

    public PreparedManifest {
        sources = List.copyOf(sources);
        shards = List.copyOf(shards);
        languages = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(languages));
    }

    /** A manifest without language counts (plain-text sources). */
    public PreparedManifest(String createdBy, TokenizerIdentity tokenizer, IdWidth idWidth, long sequences,
                            long tokens, OptionalLong unknownTokens, List<SourceFile> sources, List<ShardFile> shards,
                            StoredFile tokenCounts, PrepareOptions options) {
        this(createdBy, tokenizer, idWidth, sequences, tokens, unknownTokens, sources, shards, tokenCounts, options,
                java.util.Map.of());
    }

    /**
     * Stored sequences and ids (CLS and SEP included) of one language, and where its sequences
     * lie: {@code ranges} are runs of consecutive stored sequences, in order, whose counts sum to
     * {@code sequences}. Training samples languages through them; manifests written before the
     * ranges were recorded have none (an empty list).
     */
    public record LanguageCount(long sequences, long tokens, List<SequenceRange> ranges) {
        public LanguageCount {
            ranges = List.copyOf(ranges);
        }

        /** Counts without ranges. */
        public LanguageCount(long sequences, long tokens) {
            this(sequences, tokens, List.of());
        }
    }

    /** Stored sequences {@code first} .. {@code first + count - 1} (0-based, across all shards). */
    public record SequenceRange(long first, long count) {
        public SequenceRange {
            if (first < 0 || count < 1) {
                throw new IllegalArgumentException("a range starts at 0 or later and holds a sequence or more: "
                        + first + "+" + count);
            }
        }

        public long end() {
            return first + count;
        }
    }

    /** Tokens of the text itself: {@code tokens} without the CLS and SEP around each sequence. */
    public long textTokens() {
        return tokens - 2 * sequences;
    }

    /**
     * Unknown tokens per token of text (CLS and SEP are ours, not the text's, so they are left
     * out); 0 for no text; empty when the manifest predates the count.
     */
    public OptionalDouble unknownRate() {
        if (unknownTokens.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(textTokens() <= 0 ? 0 : (double) unknownTokens.getAsLong() / textTokens());
    }

    /** Reads and checks {@code dir}/manifest.json. */
    public static PreparedManifest read(Path dir) {
        return ManifestJson.read(dir.resolve(FILE));
    }

    /** The manifest as written to manifest.json. */
    public String toJson() {
        return ManifestJson.write(this);
    }

    /**
     * Which tokenizer produced the ids: enough to refuse training a model whose vocabulary means
     * something else.
     *
     * @param description the tokenizer's own one-line description
     * @param vocabSize one more than the largest id, added tokens included
     * @param files the folder's tokenizer files with their sizes and SHA-256
     * @param sha256 over {@code files}: SHA-256 of the lines "name NUL sha256 LF", sorted by name
     */
    public record TokenizerIdentity(String description, int vocabSize, SpecialTokens specialTokens,
            List<StoredFile> files, String sha256) {
        public TokenizerIdentity {
            files = List.copyOf(files);
        }
    }

    /** A file named relative to some folder, with its size and checksum. */
    public record StoredFile(String name, long bytes, String sha256) {
    }

    /**
     * One input text file.
     *
     * @param path absolute path at preparation time
     * @param bytes size on disk (compressed size for compressed files)
     * @param sha256 of the file as on disk
     * @param compression "none", "gzip", "bzip2" or "xz"
     * @param lines lines read from it, blank ones included
     * @param sequences non-blank lines stored as sequences
     * @param complete false when a line limit stopped reading before its end
     */
    public record SourceFile(String path, long bytes, String sha256, String compression, long lines,
            long sequences, boolean complete, CorpusCounts corpus) {

        /** A plain-text source file. */
        public SourceFile(String path, long bytes, String sha256, String compression, long lines, long sequences,
                          boolean complete) {
            this(path, bytes, sha256, compression, lines, sequences, complete, null);
        }
    }

    /**
     * What a corpus source (a Wikipedia dump, JSONL, OpenWebText, BookCorpus) gave: its kind, the
     * documents read and kept, those skipped by reason ({@code read = kept + sum(skipped)}), and
     * the stored ids its sequences hold (CLS and SEP included; empty in manifests written before
     * the count was recorded).
     */
    public record CorpusCounts(String kind, long documentsRead, long documentsKept,
                               java.util.Map<String, Long> skipped, OptionalLong tokens) {
        public CorpusCounts {
            skipped = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(skipped));
        }
    }

    /** One shard: a file of this folder holding consecutive sequences of the dataset. */
    public record ShardFile(String file, long sequences, long tokens, long bytes, String sha256) {
    }
}
