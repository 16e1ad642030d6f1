package io.distiltrain.data;

import io.distiltrain.Sha256;

import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * counts.bin: how often each id occurs in the whole dataset (CLS and SEP included, as the
 * reference's token_counts.py counts its binarized data), for the MLM masking's smoothing.
 */
final class TokenCountsFile {
    static final String NAME = "counts.bin";

    private TokenCountsFile() {
    }

    static PreparedManifest.StoredFile write(Path file, long[] counts) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(ShardLayout.COUNTS_HEADER_BYTES + counts.length * Long.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(ShardLayout.COUNTS_MAGIC).putInt(ShardLayout.VERSION).putInt(0).putLong(counts.length);
        for (long c : counts) {
            b.putLong(c);
        }
        byte[] bytes = b.array();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer w = ByteBuffer.wrap(bytes);
            while (w.hasRemaining()) {
                ch.write(w);
            }
            ch.force(true);
        }
        return new PreparedManifest.StoredFile(NAME, bytes.length, Sha256.ofBytes(bytes));
    }

    /** Reads and checks the counts against the manifest: size, checksum, header, their sum. */
    static long[] read(Path dir, PreparedManifest manifest, boolean verifyChecksum) {
        PreparedManifest.StoredFile entry = manifest.tokenCounts();
        Path file = dir.resolve(entry.name());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read the token counts (" + e.getMessage() + "); prepare the dataset again");
        }
        if (bytes.length != entry.bytes()) {
            throw new UserError(file + ": " + bytes.length + " bytes but the manifest says " + entry.bytes()
                    + " (truncated or replaced); prepare the dataset again");
        }
        if (verifyChecksum && !Sha256.ofBytes(bytes).equals(entry.sha256())) {
            throw new UserError(file + ": SHA-256 differs from the manifest's (the file is corrupt); prepare the dataset again");
        }
        int vocab = manifest.tokenizer().vocabSize();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        if (bytes.length < ShardLayout.COUNTS_HEADER_BYTES) {
            throw new UserError(file + ": too short for a token-counts file; prepare the dataset again");
        }
        b.get(magic);
        int version = b.getInt();
        b.getInt();
        long size = b.getLong();
        if (!Arrays.equals(magic, ShardLayout.COUNTS_MAGIC) || version != ShardLayout.VERSION || size != vocab
                || bytes.length != ShardLayout.COUNTS_HEADER_BYTES + (long) vocab * Long.BYTES) {
            throw new UserError(file + ": not a version-" + ShardLayout.VERSION + " token-counts file for "
                    + vocab + " ids; prepare the dataset again");
        }
        long[] counts = new long[vocab];
        long sum = 0;
        for (int i = 0; i < vocab; i++) {
            counts[i] = b.getLong();
            sum += counts[i];
        }
        if (sum != manifest.tokens()) {
            throw new UserError(file + ": counts add up to " + sum + " tokens, the manifest says " + manifest.tokens()
                    + "; prepare the dataset again");
        }
        checkUnknown(file, manifest, counts);
        return counts;
    }

    /** The manifest's unknown-token count is the counts' entry for the unknown id (when it has one). */
    private static void checkUnknown(Path file, PreparedManifest manifest, long[] counts) {
        var specials = manifest.tokenizer().specialTokens();
        long unk = specials.unkId();
        if (manifest.unknownTokens().isEmpty() || unk < 0 || unk >= counts.length || unk == specials.clsId()
                || unk == specials.sepId()) {
            return;
        }
        long stated = manifest.unknownTokens().getAsLong();
        if (counts[(int) unk] != stated) {
            throw new UserError(file + ": counts " + counts[(int) unk] + " unknown tokens (id " + unk
                    + "), the manifest says " + stated + "; prepare the dataset again");
        }
    }
}
