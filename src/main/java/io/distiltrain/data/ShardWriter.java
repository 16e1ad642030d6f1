package io.distiltrain.data;

import io.distiltrain.Sha256;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Streams one shard to disk: ids as they come, sequence offsets to a side file (their number is
 * unknown until the shard closes, and a shard of short lines has too many to keep in memory),
 * then padding, the offsets and the footer. The SHA-256 is taken over the bytes as written, so
 * the shard is never read back.
 */
final class ShardWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path file;
    private final Path offsetsFile;
    private final IdWidth width;
    private final FileChannel out;
    private final FileChannel offsetsOut;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer offsetsBuf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final MessageDigest digest = Sha256.newDigest();
    private long sequences;
    private long tokens;
    private long position;

    ShardWriter(Path file, IdWidth width) throws IOException {
        this.file = file;
        this.offsetsFile = file.resolveSibling(file.getFileName() + ".offsets.tmp");
        this.width = width;
        this.out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            this.offsetsOut = FileChannel.open(offsetsFile, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (IOException e) {
            out.close();
            throw e;
        }
        buf.put(ShardLayout.HEADER_MAGIC).putInt(ShardLayout.VERSION).putInt(width.bytes());
        putOffset(0);
    }

    long sequences() {
        return sequences;
    }

    long tokens() {
        return tokens;
    }

    /** Whether one more sequence of {@code length} tokens keeps the file within {@code maxBytes}. */
    boolean fits(long length, long maxBytes) {
        return ShardLayout.shardBytes(sequences + 1, tokens + length, width) <= maxBytes;
    }

    void writeId(long id) throws IOException {
        if (id < 0 || id > width.maxId()) {
            // The width was chosen from the vocabulary size; an id outside it is a tokenizer bug,
            // and storing it would silently corrupt the data (the reference's uint16 wrap-around).
            throw new IllegalStateException("token id " + id + " does not fit " + width.jsonName());
        }
        if (buf.remaining() < width.bytes()) {
            flush(buf, out);
        }
        if (width == IdWidth.UINT16) {
            buf.putShort((short) id);
        } else {
            buf.putInt((int) id);
        }
        tokens++;
    }

    void endSequence() throws IOException {
        sequences++;
        putOffset(tokens);
    }

    private void putOffset(long offset) throws IOException {
        if (offsetsBuf.remaining() < Long.BYTES) {
            offsetsBuf.flip();
            writeFully(offsetsOut, offsetsBuf);
            offsetsBuf.clear();
        }
        offsetsBuf.putLong(offset);
    }

    /** Completes the file, forces it to disk and describes it for the manifest. */
    PreparedManifest.ShardFile finish() throws IOException {
        long offsetsAt = ShardLayout.offsetsPosition(tokens, width);
        flush(buf, out);
        while (position + buf.position() < offsetsAt) {
            buf.put((byte) 0);
        }
        flush(buf, out);
        offsetsBuf.flip();
        writeFully(offsetsOut, offsetsBuf);
        offsetsBuf.clear();
        offsetsOut.position(0);
        while (offsetsOut.read(buf) > 0) {
            if (!buf.hasRemaining()) {
                flush(buf, out);
            }
        }
        flush(buf, out);
        buf.putLong(sequences).putLong(tokens).putLong(offsetsAt).put(ShardLayout.FOOTER_MAGIC);
        flush(buf, out);
        out.force(true);
        close();
        long expected = ShardLayout.shardBytes(sequences, tokens, width);
        if (position != expected) {
            throw new IllegalStateException(file + ": wrote " + position + " bytes, layout says " + expected);
        }
        return new PreparedManifest.ShardFile(file.getFileName().toString(), sequences, tokens, position,
                Sha256.hex(digest));
    }

    private void flush(ByteBuffer b, FileChannel ch) throws IOException {
        b.flip();
        digest.update(b.array(), 0, b.limit());
        position += b.limit();
        writeFully(ch, b);
        b.clear();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Closes both channels and removes the side file; safe to call twice. */
    @Override
    public void close() throws IOException {
        try (out; offsetsOut) {
            // closing is all
        } finally {
            Files.deleteIfExists(offsetsFile);
        }
    }
}
