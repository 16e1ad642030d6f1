package io.distiltrain.data;

import io.distiltrain.UserError;
import io.distiltrain.tokenizer.SpecialTokens;
import io.distiltrain.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A prepared dataset folder opened for reading: its manifest, the token counts, and every stored
 * sequence ({@code CLS ids SEP}) by global index, read from the shards with positional reads (not mapped, so none of a dataset stays resident).
 *
 * <p>Safe for concurrent readers. The mappings are released by the garbage collector; Java offers
 * no earlier unmapping.
 */
public final class PreparedDataset {
    private final Path dir;
    private final PreparedManifest manifest;
    private final long[] tokenCounts;
    private final Shard[] shards;
    /** firstSequence[s] is the global index of shard s's first sequence; one extra entry holds the total. */
    private final long[] firstSequence;

    private PreparedDataset(Path dir, PreparedManifest manifest, long[] tokenCounts, Shard[] shards) {
        this.dir = dir;
        this.manifest = manifest;
        this.tokenCounts = tokenCounts;
        this.shards = shards;
        this.firstSequence = new long[shards.length + 1];
        for (int s = 0; s < shards.length; s++) {
            firstSequence[s + 1] = firstSequence[s] + shards[s].sequences();
        }
    }

    /** Opens {@code dir} verifying every file's SHA-256: see {@link #open(Path, boolean)}. */
    public static PreparedDataset open(Path dir) {
        return open(dir, true);
    }

    /**
     * Opens a prepared dataset folder. The manifest's format and version, every file's size, and
     * each shard's header and footer are always checked; with {@code verifyChecksums} each file is
     * also read whole once and its SHA-256 compared with the manifest's (shards in parallel).
     *
     * @throws UserError naming the file when one is missing, truncated, corrupt or of another format
     */
    public static PreparedDataset open(Path dir, boolean verifyChecksums) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such folder; point at a folder written by distil-train's data preparation");
        }
        PreparedManifest manifest = PreparedManifest.read(dir);
        checkConsistent(dir, manifest);
        long[] counts = TokenCountsFile.read(dir, manifest, verifyChecksums);
        List<PreparedManifest.ShardFile> entries = manifest.shards();
        Object[] opened = new Object[entries.size()];
        IntStream.range(0, entries.size()).parallel().forEach(s -> {
            // Failures are kept and rethrown here in shard order, so the message is the same
            // on every run and the UserError is not rewrapped by the fork-join pool.
            try {
                opened[s] = Shard.open(dir, entries.get(s), manifest.idWidth(), verifyChecksums);
            } catch (RuntimeException e) {
                opened[s] = e;
            }
        });
        Shard[] shards = new Shard[opened.length];
        for (int s = 0; s < opened.length; s++) {
            if (opened[s] instanceof RuntimeException e) {
                throw e;
            }
            shards[s] = (Shard) opened[s];
        }
        return new PreparedDataset(dir, manifest, counts, shards);
    }

    private static void checkConsistent(Path dir, PreparedManifest m) {
        long sequences = 0;
        long tokens = 0;
        for (PreparedManifest.ShardFile s : m.shards()) {
            sequences += s.sequences();
            tokens += s.tokens();
        }
        Path file = dir.resolve(PreparedManifest.FILE);
        if (sequences != m.sequences() || tokens != m.tokens()) {
            throw new UserError(file + ": its shards add up to " + sequences + " sequences and " + tokens
                    + " tokens, not the " + m.sequences() + " and " + m.tokens() + " it states; prepare the dataset again");
        }
        if (IdWidth.forVocabSize(m.tokenizer().vocabSize()).bytes() > m.idWidth().bytes()) {
            throw new UserError(file + ": " + m.idWidth().jsonName() + " ids cannot hold a vocabulary of "
                    + m.tokenizer().vocabSize() + "; prepare the dataset again");
        }
    }

    /**
     * Refuses to train a model on ids that mean something else to it: the dataset's tokenizer must
     * have the same number of ids and the same special-token ids as {@code tokenizer}, the one of
     * the model folder {@code modelDir}. (Identical files are not required: a vocab.txt and the
     * tokenizer.json made from it give the same ids.)
     *
     * @throws UserError naming the dataset and the model folder
     */
    public void requireTokenizer(TextTokenizer tokenizer, Path modelDir) {
        PreparedManifest.TokenizerIdentity mine = manifest.tokenizer();
        SpecialTokens a = mine.specialTokens();
        SpecialTokens b = tokenizer.specialTokens();
        boolean sameIds = a.clsId() == b.clsId() && a.sepId() == b.sepId() && a.padId() == b.padId()
                && a.unkId() == b.unkId() && a.maskId() == b.maskId();
        if (mine.vocabSize() != tokenizer.vocabSize() || !sameIds) {
            throw new UserError(dir + ": prepared with another tokenizer (" + mine.vocabSize() + " ids, CLS "
                    + a.clsId() + ", SEP " + a.sepId() + ") than " + modelDir + "'s (" + tokenizer.vocabSize()
                    + " ids, CLS " + b.clsId() + ", SEP " + b.sepId() + "); prepare the data with " + modelDir);
        }
    }

    /** The folder inside a dataset that holds a copy of the tokenizer it was prepared with. */
    public static final String TOKENIZER_DIR = "tokenizer";

    /** The copy of the tokenizer the dataset was prepared with (datasets of this format version always have one). */
    public Path tokenizerDir() {
        return dir().resolve(TOKENIZER_DIR);
    }

    public Path dir() {
        return dir;
    }

    public PreparedManifest manifest() {
        return manifest;
    }

    public long sequenceCount() {
        return firstSequence[shards.length];
    }

    /** Tokens in sequence {@code i}, CLS and SEP included. */
    public int length(long i) {
        int s = shardOf(i);
        return shards[s].length((int) (i - firstSequence[s]));
    }

    /** The ids of sequence {@code i}: {@code CLS ids SEP}. */
    public long[] sequence(long i) {
        int s = shardOf(i);
        Shard shard = shards[s];
        int local = (int) (i - firstSequence[s]);
        int start = shard.start(local);
        long[] out = new long[shard.length(local)];
        shard.copy(start, out.length, out, 0);
        return out;
    }

    /** How often each id occurs in the whole dataset (a copy, indexed by id). */
    public long[] tokenCounts() {
        return tokenCounts.clone();
    }

    int shardCount() {
        return shards.length;
    }

    Shard shard(int s) {
        return shards[s];
    }

    private int shardOf(long i) {
        if (i < 0 || i >= sequenceCount()) {
            throw new IndexOutOfBoundsException("sequence " + i + " of " + sequenceCount());
        }
        int found = Arrays.binarySearch(firstSequence, i);
        // An exact hit may be the start of an empty shard's successor; step to the shard that holds i.
        int s = found >= 0 ? found : -found - 2;
        while (shards[s].sequences() == 0 || i >= firstSequence[s + 1]) {
            s++;
        }
        return s;
    }
}
