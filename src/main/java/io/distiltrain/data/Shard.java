package io.distiltrain.data;

import io.distiltrain.Sha256;
import io.distiltrain.UserError;
import io.distiltrain.data.PreparedManifest.ShardFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One shard file, read through positional reads of an open channel rather than a memory mapping:
 * a mapping would leave every page it touched (the checksum and the training index read them
 * all) resident in the process, so resident memory would grow with the dataset, while reads leave
 * only the kernel's page cache, which it reclaims at will. A batch reads a few kilobytes, so the
 * system calls cost nothing next to a training step. Positional reads keep no position, so one
 * shard serves any number of threads.
 */
final class Shard {
    private static final int SCAN_BUFFER = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final IdWidth width;
    private final int sequences;
    private final int tokens;
    private final long offsetsAt;

    /** What {@link #scan} hands over: sequence {@code s} at token {@code start}, its ids in {@code ids[0, length)}. */
    @FunctionalInterface
    interface SequenceVisitor {
        void visit(int s, int start, long[] ids, int length);
    }

    private Shard(Path file, FileChannel channel, IdWidth width, int sequences, int tokens, long offsetsAt) {
        this.file = file;
        this.channel = channel;
        this.width = width;
        this.sequences = sequences;
        this.tokens = tokens;
        this.offsetsAt = offsetsAt;
    }

    /**
     * Opens {@code entry} of {@code dir} and checks it against the manifest: size, header, footer,
     * the first and last offsets and, when asked, the SHA-256 of every byte.
     */
    static Shard open(Path dir, ShardFile entry, IdWidth width, boolean verifyChecksum) {
        Path file = dir.resolve(entry.file());
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": missing; the dataset is incomplete, copy the whole folder or prepare it again");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + "); check the file and its permissions");
        }
        try {
            Shard shard = check(file, ch, entry, width, verifyChecksum);
            if (shard.offset(0) != 0 || shard.offset(shard.sequences) != shard.tokens) {
                throw corrupt(file, "has sequence offsets that do not span its tokens (the file is corrupt)");
            }
            return shard;
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the first problem is the one to report
            }
            if (e instanceof IOException io) {
                throw new UserError(file + ": cannot read (" + io.getMessage() + "); check the file and its permissions");
            }
            throw (RuntimeException) e;
        }
    }

    private static Shard check(Path file, FileChannel ch, ShardFile entry, IdWidth width, boolean verifyChecksum)
            throws IOException {
        long size = ch.size();
        if (size != entry.bytes()) {
            throw corrupt(file, size < entry.bytes()
                    ? "is truncated: " + size + " bytes, the manifest says " + entry.bytes()
                    : "is " + size + " bytes, the manifest says " + entry.bytes());
        }
        if (size > ShardLayout.MAX_SHARD_BYTES || size < ShardLayout.HEADER_BYTES + ShardLayout.FOOTER_BYTES + 8) {
            throw corrupt(file, "has an impossible size of " + size + " bytes");
        }
        if (verifyChecksum && !Sha256.of(ch).equals(entry.sha256())) {
            throw corrupt(file, "does not match its SHA-256 in the manifest (the file is corrupt)");
        }
        ByteBuffer head = read(ch, 0, ShardLayout.HEADER_BYTES);
        byte[] magic = new byte[8];
        head.get(0, magic);
        if (!Arrays.equals(magic, ShardLayout.HEADER_MAGIC)) {
            throw corrupt(file, "is not a distil-train shard (bad header)");
        }
        if (head.getInt(8) != ShardLayout.VERSION) {
            throw corrupt(file, "has shard format version " + head.getInt(8) + ", expected " + ShardLayout.VERSION);
        }
        if (head.getInt(12) != width.bytes()) {
            throw corrupt(file, "stores " + head.getInt(12) + "-byte ids, the manifest says " + width.jsonName());
        }
        ByteBuffer foot = read(ch, size - ShardLayout.FOOTER_BYTES, ShardLayout.FOOTER_BYTES);
        long sequences = foot.getLong(0);
        long tokens = foot.getLong(8);
        long offsetsAt = foot.getLong(16);
        foot.get(24, magic);
        if (!Arrays.equals(magic, ShardLayout.FOOTER_MAGIC) || sequences != entry.sequences()
                || tokens != entry.tokens() || offsetsAt != ShardLayout.offsetsPosition(tokens, width)
                || ShardLayout.shardBytes(sequences, tokens, width) != size) {
            throw corrupt(file, "has a footer that disagrees with the manifest (the file is corrupt)");
        }
        return new Shard(file, ch, width, (int) sequences, (int) tokens, offsetsAt);
    }

    /** {@code bytes} bytes of the file from {@code position}, little-endian; the file must hold them. */
    private static ByteBuffer read(FileChannel ch, long position, int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("ends before byte " + (position + b.position()));
            }
        }
        return b.flip();
    }

    private ByteBuffer read(long position, int bytes) {
        try {
            return read(channel, position, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
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

    private long offset(int s) {
        return read(offsetsAt + (long) s * Long.BYTES, Long.BYTES).getLong(0);
    }

    /** Token index where sequence {@code s} starts; checked, since offsets are read unverified. */
    int start(int s) {
        ByteBuffer b = read(offsetsAt + (long) s * Long.BYTES, 2 * Long.BYTES);
        return checkedStart(s, b.getLong(0), b.getLong(8));
    }

    private int checkedStart(int s, long start, long end) {
        if (start < 0 || start > end || end > tokens) {
            throw corrupt(file, "has sequence " + s + " at tokens " + start + ".." + end + " outside its "
                    + tokens + " tokens (the file is corrupt)");
        }
        return (int) start;
    }

    int length(int s) {
        ByteBuffer b = read(offsetsAt + (long) s * Long.BYTES, 2 * Long.BYTES);
        return (int) (b.getLong(8) - checkedStart(s, b.getLong(0), b.getLong(8)));
    }

    /** Copies {@code count} ids from token {@code from} into {@code out} at {@code at}. */
    void copy(int from, int count, long[] out, int at) {
        ByteBuffer b = read(ShardLayout.HEADER_BYTES + (long) from * width.bytes(), count * width.bytes());
        decode(b, count, out, at, from);
    }

    private void decode(ByteBuffer b, int count, long[] out, int at, int firstToken) {
        if (width == IdWidth.UINT16) {
            for (int i = 0; i < count; i++) {
                out[at + i] = Short.toUnsignedLong(b.getShort());
            }
        } else {
            for (int i = 0; i < count; i++) {
                int id = b.getInt();
                if (id < 0) {
                    throw corrupt(file, "holds a negative token id at token " + (firstToken + i) + " (the file is corrupt)");
                }
                out[at + i] = id;
            }
        }
    }

    /**
     * Hands every sequence to {@code visitor} in order, reading the offsets and the ids each in
     * one sequential pass (what building the training index needs, without a read per id).
     */
    void scan(SequenceVisitor visitor) {
        ByteBuffer offsets = ByteBuffer.allocate(SCAN_BUFFER).order(ByteOrder.LITTLE_ENDIAN).limit(0);
        ByteBuffer ids = ByteBuffer.allocate(SCAN_BUFFER).order(ByteOrder.LITTLE_ENDIAN).limit(0);
        long offsetsRead = offsetsAt;
        long idsRead = ShardLayout.HEADER_BYTES;
        long[] sequence = new long[64];
        long start = nextLong(offsets, offsetsRead);
        offsetsRead += Long.BYTES;
        for (int s = 0; s < sequences; s++) {
            long end = nextLong(offsets, offsetsRead);
            offsetsRead += Long.BYTES;
            int first = checkedStart(s, start, end);
            int length = (int) (end - start);
            if (sequence.length < length) {
                sequence = new long[Math.max(length, sequence.length * 2)];
            }
            for (int done = 0; done < length; ) {
                if (!ids.hasRemaining()) {
                    idsRead += refill(ids, idsRead, (long) (tokens - first - done) * width.bytes());
                }
                int n = Math.min(length - done, ids.remaining() / width.bytes());
                decode(ids, n, sequence, done, first + done);
                done += n;
            }
            visitor.visit(s, first, sequence, length);
            start = end;
        }
    }

    /** The next offset, refilling {@code buf} from {@code position} (the file byte after its content) when empty. */
    private long nextLong(ByteBuffer buf, long position) {
        if (!buf.hasRemaining()) {
            refill(buf, position, (long) (sequences + 1) * Long.BYTES - (position - offsetsAt));
        }
        return buf.getLong();
    }

    /** Refills an empty buffer with up to {@code left} bytes from {@code position}; returns how many. */
    private int refill(ByteBuffer buf, long position, long left) {
        int n = (int) Math.min(buf.capacity(), left);
        ByteBuffer chunk = read(position, n);
        buf.clear();
        buf.put(chunk).flip();
        return n;
    }
}
