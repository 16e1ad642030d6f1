package io.distiltrain.data;

import io.distiltrain.UserError;
import io.distiltrain.tokenizer.SpecialTokens;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The sequences training sees: a prepared dataset after the reference's LmSeqsDataset rules, as
 * an index of pieces of stored sequences (no ids are copied).
 *
 * <ol>
 *   <li>remove_long_sequences: a stored sequence longer than {@code maxLength} is cut, from its
 *       CLS on, into consecutive chunks of {@code maxLength - 2} ids (the last one shorter); a chunk
 *       that does not start with CLS gets one in front and one that does not end with SEP gets one
 *       at the end. So the first chunk keeps the original CLS and is one shorter than the middle
 *       ones, the last keeps the original SEP, and a last chunk holding only that SEP becomes
 *       {@code CLS SEP}.</li>
 *   <li>remove_empty_sequences: pieces of 11 tokens or fewer are dropped.</li>
 *   <li>remove_unknown_sequences: pieces whose unknown-token count is half their length or more
 *       are dropped.</li>
 * </ol>
 *
 * The order is the stored order, pieces of one sequence consecutive, as in the reference.
 *
 * <p>When the manifest says where each language's sequences lie ({@code languages.*.ranges}),
 * every piece also knows its language: that of the stored sequence it was cut from, kept as a
 * short index into {@link #languages()} (two bytes a piece), which is what language sampling
 * groups the pieces by.
 */
public final class TrainingSequences {
    /** remove_empty_sequences keeps only pieces longer than this. */
    public static final int MAX_DROPPED_LENGTH = 11;

    private static final int PREPEND_CLS = 1 << 30;
    private static final int APPEND_SEP = 1 << 31;
    private static final int LENGTH_MASK = PREPEND_CLS - 1;

    private final PreparedDataset dataset;
    private final int maxLength;
    private final long clsId;
    private final long sepId;
    /** Per piece: shard index in the high 32 bits, token index within the shard in the low 32. */
    private final long[] address;
    /** Per piece: stored ids taken (low 30 bits) and whether CLS / SEP are added around them. */
    private final int[] spanAndFlags;
    /** Per piece: its index in {@link #languages}; null when the dataset has no language ranges. */
    private final short[] language;
    private final List<String> languages;
    private final Report report;

    /**
     * What the rules did.
     *
     * @param sequences stored sequences read
     * @param split stored sequences longer than maxLength, cut into chunks
     * @param pieces sequences after cutting (unsplit ones plus every chunk)
     * @param droppedShort pieces of 11 tokens or fewer
     * @param droppedUnknown pieces of which half or more are unknown tokens
     * @param kept pieces left for training
     */
    public record Report(long sequences, long split, long pieces, long droppedShort, long droppedUnknown, int kept) {
        /** One line for logs. */
        public String summary() {
            return sequences + " stored sequences, " + split + " split into chunks, giving " + pieces
                    + "; dropped " + droppedShort + " of <= " + MAX_DROPPED_LENGTH + " tokens and " + droppedUnknown
                    + " of >= 50% unknown tokens; " + kept + " kept";
        }
    }

    private TrainingSequences(PreparedDataset dataset, int maxLength, long[] address, int[] spanAndFlags,
            short[] language, List<String> languages, Report report) {
        this.dataset = dataset;
        this.maxLength = maxLength;
        SpecialTokens specials = dataset.manifest().tokenizer().specialTokens();
        this.clsId = specials.clsId();
        this.sepId = specials.sepId();
        this.address = address;
        this.spanAndFlags = spanAndFlags;
        this.language = language;
        this.languages = languages;
        this.report = report;
    }

    /**
     * Applies the rules to every stored sequence (shards in parallel; each id is read once, to
     * count unknown tokens).
     *
     * @param maxLength the model's longest input, special tokens included (max_model_input_size)
     */
    public static TrainingSequences of(PreparedDataset dataset, int maxLength) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength must leave room for CLS, one id and SEP, got " + maxLength);
        }
        SpecialTokens specials = dataset.manifest().tokenizer().specialTokens();
        StoredLanguages stored = StoredLanguages.of(dataset.manifest(), dataset.dir());
        long[] firstSequence = new long[dataset.shardCount()];
        for (int s = 1; s < firstSequence.length; s++) {
            firstSequence[s] = firstSequence[s - 1] + dataset.shard(s - 1).sequences();
        }
        ShardPieces[] parts = new ShardPieces[dataset.shardCount()];
        IntStream.range(0, parts.length).parallel().forEach(s -> parts[s] = ShardPieces.cut(
                dataset.shard(s), s, maxLength, specials.clsId(), specials.sepId(), specials.unkId(),
                stored == null ? null : stored.walker(firstSequence[s]), firstSequence[s]));
        long kept = 0;
        long split = 0;
        long pieces = 0;
        long droppedShort = 0;
        long droppedUnknown = 0;
        for (ShardPieces p : parts) {
            kept += p.kept;
            split += p.split;
            pieces += p.pieces;
            droppedShort += p.droppedShort;
            droppedUnknown += p.droppedUnknown;
        }
        if (kept > Integer.MAX_VALUE - 8) {
            throw new UserError(dataset.dir() + ": " + kept + " training sequences, more than one run indexes ("
                    + (Integer.MAX_VALUE - 8) + "); train on part of the shards");
        }
        long[] address = new long[(int) kept];
        int[] spanAndFlags = new int[(int) kept];
        short[] language = stored == null ? null : new short[(int) kept];
        int at = 0;
        for (ShardPieces p : parts) {
            System.arraycopy(p.address, 0, address, at, p.kept);
            System.arraycopy(p.spanAndFlags, 0, spanAndFlags, at, p.kept);
            if (language != null) {
                System.arraycopy(p.language, 0, language, at, p.kept);
            }
            at += p.kept;
        }
        Report report = new Report(dataset.sequenceCount(), split, pieces, droppedShort, droppedUnknown, (int) kept);
        return new TrainingSequences(dataset, maxLength, address, spanAndFlags, language,
                stored == null ? List.of() : stored.codes(), report);
    }

    public PreparedDataset dataset() {
        return dataset;
    }

    public int maxLength() {
        return maxLength;
    }

    public Report report() {
        return report;
    }

    public int size() {
        return address.length;
    }

    /** Whether each piece's language is known (the manifest has language ranges). */
    public boolean hasLanguages() {
        return language != null;
    }

    /**
     * The languages of the pieces, codes sorted ({@value StoredLanguages#UNDETERMINED} for stored
     * sequences without a tag); empty when {@link #hasLanguages()} is false.
     */
    public List<String> languages() {
        return languages;
    }

    /** The index in {@link #languages()} of piece {@code i}'s language. */
    public int languageOf(int i) {
        if (language == null) {
            throw new IllegalStateException(dataset.dir() + " has no language ranges");
        }
        return language[i];
    }

    /** Per language code, the indices of its pieces in increasing order (every language of the table). */
    public Map<String, int[]> piecesByLanguage() {
        int[] counts = new int[languages.size()];
        for (int i = 0; i < size(); i++) {
            counts[languageOf(i)]++;
        }
        Map<String, int[]> out = new TreeMap<>();
        int[][] lists = new int[counts.length][];
        for (int l = 0; l < counts.length; l++) {
            lists[l] = new int[counts[l]];
            out.put(languages.get(l), lists[l]);
        }
        int[] filled = new int[counts.length];
        for (int i = 0; i < size(); i++) {
            lists[language[i]][filled[language[i]]++] = i;
        }
        return out;
    }

    /**
     * Only the pieces of the languages in {@code keep} (data.languages), in the same order; the
     * language table keeps those of them that the data has. The report stays that of the rules.
     */
    public TrainingSequences restrictedTo(Set<String> keep) {
        List<String> kept = languages.stream().filter(keep::contains).toList();
        short[] renumbered = new short[languages.size()];
        int n = 0;
        for (int l = 0; l < renumbered.length; l++) {
            renumbered[l] = (short) kept.indexOf(languages.get(l));
        }
        for (int i = 0; i < size(); i++) {
            n += renumbered[languageOf(i)] >= 0 ? 1 : 0;
        }
        long[] a = new long[n];
        int[] f = new int[n];
        short[] lang = new short[n];
        for (int i = 0, at = 0; i < size(); i++) {
            if (renumbered[language[i]] >= 0) {
                a[at] = address[i];
                f[at] = spanAndFlags[i];
                lang[at++] = renumbered[language[i]];
            }
        }
        return new TrainingSequences(dataset, maxLength, a, f, lang, kept, report);
    }

    /** Per language code, the tokens of its pieces (special tokens included). */
    public Map<String, Long> tokensByLanguage() {
        long[] tokens = new long[languages.size()];
        for (int i = 0; i < size(); i++) {
            tokens[languageOf(i)] += length(i);
        }
        Map<String, Long> out = new TreeMap<>();
        for (int l = 0; l < tokens.length; l++) {
            out.put(languages.get(l), tokens[l]);
        }
        return out;
    }

    /** Tokens of piece {@code i}, special tokens included. */
    public int length(int i) {
        int f = spanAndFlags[i];
        return (f & LENGTH_MASK) + ((f & PREPEND_CLS) != 0 ? 1 : 0) + ((f & APPEND_SEP) != 0 ? 1 : 0);
    }

    /** The ids of piece {@code i}, starting with CLS and ending with SEP. */
    public long[] ids(int i) {
        int f = spanAndFlags[i];
        int span = f & LENGTH_MASK;
        boolean cls = (f & PREPEND_CLS) != 0;
        long[] out = new long[length(i)];
        if (cls) {
            out[0] = clsId;
        }
        if ((f & APPEND_SEP) != 0) {
            out[out.length - 1] = sepId;
        }
        long a = address[i];
        dataset.shard((int) (a >>> 32)).copy((int) a, span, out, cls ? 1 : 0);
        return out;
    }

    /** The pieces one shard yields, in order. */
    private static final class ShardPieces {
        long[] address;
        int[] spanAndFlags;
        short[] language;
        int kept;
        long split;
        long pieces;
        long droppedShort;
        long droppedUnknown;
        /** The language of the stored sequence being cut. */
        short currentLanguage;

        /**
         * @param languages the languages of the dataset's sequences from this shard's first on
         *     ({@code first} its global index); null without language ranges
         */
        static ShardPieces cut(Shard shard, int shardIndex, int maxLength, long cls, long sep, long unk,
                StoredLanguages.Walker languages, long first) {
            int chunk = maxLength - 2;
            ShardPieces p = new ShardPieces();
            int initial = Math.max(16, shard.sequences());
            p.address = new long[initial];
            p.spanAndFlags = new int[initial];
            p.language = languages == null ? null : new short[initial];
            long high = (long) shardIndex << 32;
            // One sequential read of the shard: ids are handed over per sequence, never mapped.
            shard.scan((s, start, ids, len) -> {
                p.currentLanguage = languages == null ? 0 : languages.languageOf(first + s);
                if (len <= maxLength) {
                    p.offer(ids, 0, high, start, len, false, false, cls, sep, unk);
                    return;
                }
                p.split++;
                for (int from = 0; from < len; from += chunk) {
                    int to = Math.min(len, from + chunk);
                    p.offer(ids, from, high, start + from, to - from, ids[from] != cls, ids[to - 1] != sep, cls, sep,
                            unk);
                }
            });
            p.address = Arrays.copyOf(p.address, p.kept);
            p.spanAndFlags = Arrays.copyOf(p.spanAndFlags, p.kept);
            p.language = p.language == null ? null : Arrays.copyOf(p.language, p.kept);
            return p;
        }

        /** Counts one piece ({@code span} ids of {@code ids} from {@code at}) and keeps it unless a filter drops it. */
        private void offer(long[] ids, int at, long high, int from, int span, boolean addCls, boolean addSep,
                long cls, long sep, long unk) {
            pieces++;
            int length = span + (addCls ? 1 : 0) + (addSep ? 1 : 0);
            if (length <= MAX_DROPPED_LENGTH) {
                droppedShort++;
                return;
            }
            long unknown = (addCls && cls == unk ? 1 : 0) + (addSep && sep == unk ? 1 : 0);
            for (int t = at; t < at + span; t++) {
                if (ids[t] == unk) {
                    unknown++;
                }
            }
            // unknown / length < 0.5, in integers
            if (2 * unknown >= length) {
                droppedUnknown++;
                return;
            }
            if (kept == address.length) {
                int grown = address.length * 2;
                address = Arrays.copyOf(address, grown);
                spanAndFlags = Arrays.copyOf(spanAndFlags, grown);
                language = language == null ? null : Arrays.copyOf(language, grown);
            }
            address[kept] = high | from;
            spanAndFlags[kept] = span | (addCls ? PREPEND_CLS : 0) | (addSep ? APPEND_SEP : 0);
            if (language != null) {
                language[kept] = currentLanguage;
            }
            kept++;
        }
    }
}
