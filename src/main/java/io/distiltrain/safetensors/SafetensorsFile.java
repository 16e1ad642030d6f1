package io.distiltrain.safetensors;

import io.distiltrain.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One open safetensors file. Opening reads and validates only the header; each tensor's bytes are
 * memory-mapped on request, one tensor at a time, so a file larger than 2 GiB (or than the heap)
 * is fine and untouched tensors cost nothing.
 *
 * <p>Safe for concurrent reads. Buffers returned by {@link #raw} stay valid after {@link #close}
 * (the JVM unmaps them when they are garbage); further reads throw {@link IllegalStateException}.
 * Like any mapping, the file must not be truncated by someone else while its buffers are in use.
 */
public final class SafetensorsFile implements AutoCloseable {
    private static final int LENGTH_BYTES = Long.BYTES;
    /** Java arrays stop a few elements short of Integer.MAX_VALUE. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> tensors;
    private final List<String> names;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Header header) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.metadata = header.metadata();
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        header.tensors().forEach(t -> byName.put(t.name(), t));
        this.tensors = byName;
        this.names = List.copyOf(byName.keySet());
    }

    /** Opens {@code file} and validates its header; {@link UserError} for any problem with the file. */
    public static SafetensorsFile open(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserError(file + ": is a folder, not a safetensors file; pass the .safetensors file itself");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file; check the path");
        } catch (AccessDeniedException e) {
            throw new UserError(file + ": permission denied; make the file readable");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot open: " + e.getMessage(), e);
        }
        try {
            return read(file, channel);
        } catch (RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static SafetensorsFile read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < LENGTH_BYTES) {
            throw Problems.truncated(file, "the file has " + size + " bytes, fewer than the "
                    + LENGTH_BYTES + "-byte header length that starts every safetensors file");
        }
        long headerLength = readFully(channel, 0, LENGTH_BYTES).getLong();
        // Unsigned u64 in the file: a negative long here is a value above 2^63.
        if (headerLength < 0 || headerLength > Header.MAX_HEADER_BYTES) {
            throw new UserError(file + ": header length field reads " + Long.toUnsignedString(headerLength)
                    + " bytes, more than any safetensors header; this is not a safetensors file or it is"
                    + " damaged, download or copy it again");
        }
        long available = size - LENGTH_BYTES;
        if (headerLength > available) {
            throw Problems.truncated(file, "header says " + headerLength + " bytes but the file has only "
                    + available + " after the length field");
        }
        ByteBuffer json = readFully(channel, LENGTH_BYTES, (int) headerLength);
        long dataStart = LENGTH_BYTES + headerLength;
        Header header = Header.parse(file, json.array(), size - dataStart);
        return new SafetensorsFile(file, channel, dataStart, header);
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw new IOException("file shrank while being read");
            }
        }
        return b.flip();
    }

    public Path path() {
        return path;
    }

    /** The header's {@code __metadata__} (empty when absent), in file order; unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in header order. */
    public List<String> names() {
        return names;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor's header entry; {@link UserError} if the file has no such tensor. */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new UserError(path + ": has no tensor '" + Problems.clean(name)
                    + "'; the file does not hold the expected weights, check that it is the right model");
        }
        return t;
    }

    /**
     * The tensor's bytes: read-only, little-endian, position 0, limit = byte length. Each call maps
     * afresh. {@link UserError} for a tensor over 2 GiB, which no single Java buffer can hold.
     */
    public ByteBuffer raw(String name) {
        TensorInfo t = info(name);
        long length = t.byteLength();
        if (length > Integer.MAX_VALUE) {
            throw tooLarge(t);
        }
        if (!channel.isOpen()) {
            throw new IllegalStateException(path + " is closed");
        }
        if (length == 0) {
            return ByteBuffer.allocate(0).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), length)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException(path + " is closed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot map tensor '" + Problems.clean(name) + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * The tensor's elements as float: F32 as is, F16 and BF16 widened exactly, F64 rounded.
     * Converting here keeps bf16 away from the engine, which cannot take it.
     */
    public float[] readFloats(String name) {
        TensorInfo t = info(name);
        if (!t.dtype().isFloatingPoint()) {
            throw new UserError(path + ": tensor '" + Problems.clean(name) + "' has dtype " + t.dtype()
                    + " where floating-point weights (F32, F16, BF16, F64) are expected; the file does not"
                    + " hold the expected weights, check that it is the right model");
        }
        return Decoding.floats(raw(name), t.dtype(), arrayLength(t));
    }

    /** The tensor's elements as long: I64, I32, I16, I8 signed, U8 unsigned, BOOL as 0/1. */
    public long[] readLongs(String name) {
        TensorInfo t = info(name);
        if (t.dtype().isFloatingPoint()) {
            throw new UserError(path + ": tensor '" + Problems.clean(name) + "' has dtype " + t.dtype()
                    + " where integers (I64, I32, I16, I8, U8, BOOL) are expected; the file does not hold"
                    + " the expected data, check that it is the right file");
        }
        return Decoding.longs(raw(name), t.dtype(), arrayLength(t));
    }

    private int arrayLength(TensorInfo t) {
        if (t.elementCount() > MAX_ARRAY) {
            throw tooLarge(t);
        }
        return (int) t.elementCount();
    }

    private UserError tooLarge(TensorInfo t) {
        return new UserError(path + ": tensor '" + Problems.clean(t.name()) + "' is " + t.byteLength()
                + " bytes (" + t.elementCount() + " elements), too large for one Java buffer (limit "
                + Integer.MAX_VALUE + " bytes); distil-train cannot load a single tensor over 2 GiB");
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot close: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel channel, Exception primary) {
        try {
            channel.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + names.size() + " tensors]";
    }
}
