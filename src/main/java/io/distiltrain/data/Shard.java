package io.distiltrain.data;

import io.distiltrain.Sha256;

import io.distiltrain.UserError;
import io.distiltrain.data.PreparedManifest.ShardFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One shard file, memory-mapped read-only. Reads use absolute indices only, so one shard serves
 * any number of threads.
 */
final class Shard {
    private final Path file;
    private final IdWidth width;
    private final int sequences;
    private final int tokens;
    private final ShortBuffer ids16;
    private final IntBuffer ids32;
    private final LongBuffer offsets;

    private Shard(Path file, IdWidth width, int sequences, int tokens, ByteBuffer map, int offsetsAt) {
        this.file = file;
        this.width = width;
        this.sequences = sequences;
        this.tokens = tokens;
        ByteBuffer ids = map.duplicate().position(ShardLayout.HEADER_BYTES).limit(ShardLayout.HEADER_BYTES
                + tokens * width.bytes()).slice().order(ByteOrder.LITTLE_ENDIAN);
        this.ids16 = width == IdWidth.UINT16 ? ids.asShortBuffer() : null;
        this.ids32 = width == IdWidth.INT32 ? ids.asIntBuffer() : null;
        this.offsets = map.duplicate().position(offsetsAt).limit(offsetsAt + (sequences + 1) * Long.BYTES)
                .slice().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
    }

    /**
     * Maps {@code entry} of {@code dir} and checks it against the manifest: size, header, footer,
     * the first and last offsets and, when asked, the SHA-256 of every byte.
     */
    static Shard open(Path dir, ShardFile entry, IdWidth width, boolean verifyChecksum) {
        Path file = dir.resolve(entry.file());
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size != entry.bytes()) {
                throw corrupt(file, size < entry.bytes()
                        ? "is truncated: " + size + " bytes, the manifest says " + entry.bytes()
                        : "is " + size + " bytes, the manifest says " + entry.bytes());
            }
            if (size > ShardLayout.MAX_SHARD_BYTES || size < ShardLayout.HEADER_BYTES + ShardLayout.FOOTER_BYTES + 8) {
                throw corrupt(file, "has an impossible size of " + size + " bytes");
            }
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": missing; the dataset is incomplete, copy the whole folder or prepare it again");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + "); check the file and its permissions");
        }
        map.order(ByteOrder.LITTLE_ENDIAN);
        if (verifyChecksum) {
            MessageDigest d = Sha256.newDigest();
            d.update(map.duplicate());
            if (!Sha256.hex(d).equals(entry.sha256())) {
                throw corrupt(file, "does not match its SHA-256 in the manifest (the file is corrupt)");
            }
        }
        int size = map.capacity();
        byte[] magic = new byte[8];
        map.get(0, magic);
        if (!Arrays.equals(magic, ShardLayout.HEADER_MAGIC)) {
            throw corrupt(file, "is not a distil-train shard (bad header)");
        }
        if (map.getInt(8) != ShardLayout.VERSION) {
            throw corrupt(file, "has shard format version " + map.getInt(8) + ", expected " + ShardLayout.VERSION);
        }
        if (map.getInt(12) != width.bytes()) {
            throw corrupt(file, "stores " + map.getInt(12) + "-byte ids, the manifest says " + width.jsonName());
        }
        int footer = size - ShardLayout.FOOTER_BYTES;
        long sequences = map.getLong(footer);
        long tokens = map.getLong(footer + 8);
        long offsetsAt = map.getLong(footer + 16);
        map.get(footer + 24, magic);
        if (!Arrays.equals(magic, ShardLayout.FOOTER_MAGIC) || sequences != entry.sequences()
                || tokens != entry.tokens() || offsetsAt != ShardLayout.offsetsPosition(tokens, width)
                || ShardLayout.shardBytes(sequences, tokens, width) != size) {
            throw corrupt(file, "has a footer that disagrees with the manifest (the file is corrupt)");
        }
        Shard shard = new Shard(file, width, (int) sequences, (int) tokens, map, (int) offsetsAt);
        if (shard.offsets.get(0) != 0 || shard.offsets.get((int) sequences) != tokens) {
            throw corrupt(file, "has sequence offsets that do not span its tokens (the file is corrupt)");
        }
        return shard;
    }

    private static UserError corrupt(Path file, String problem) {
        return new UserError(file + ": " + problem + "; prepare the dataset again or restore the file");
    }

    Path file() {
        return file;
    }

    int sequences() {
        return sequences;
    }

    long tokens() {
        return tokens;
    }

    /** Token index where sequence {@code s} starts; checked, since offsets are read unverified. */
    int start(int s) {
        long start = offsets.get(s);
        long end = offsets.get(s + 1);
        if (start < 0 || start > end || end > tokens) {
            throw corrupt(file, "has sequence " + s + " at tokens " + start + ".." + end + " outside its "
                    + tokens + " tokens (the file is corrupt)");
        }
        return (int) start;
    }

    int length(int s) {
        return (int) (offsets.get(s + 1) - start(s));
    }

    long id(int token) {
        return width == IdWidth.UINT16 ? Short.toUnsignedLong(ids16.get(token)) : ids32.get(token);
    }

    /** Copies {@code count} ids from token {@code from} into {@code out} at {@code at}. */
    void copy(int from, int count, long[] out, int at) {
        if (width == IdWidth.UINT16) {
            short[] tmp = new short[count];
            ids16.get(from, tmp, 0, count);
            for (int i = 0; i < count; i++) {
                out[at + i] = Short.toUnsignedLong(tmp[i]);
            }
        } else {
            int[] tmp = new int[count];
            ids32.get(from, tmp, 0, count);
            for (int i = 0; i < count; i++) {
                if (tmp[i] < 0) {
                    throw corrupt(file, "holds a negative token id at token " + (from + i) + " (the file is corrupt)");
                }
                out[at + i] = tmp[i];
            }
        }
    }
}
