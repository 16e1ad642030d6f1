package io.distiltrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    /**
     * A large heap buffer is written whole and byte for byte, without the JDK keeping a direct
     * buffer of its size for the thread (the direct pool would grow by 48 MiB).
     */
    @Test
    void aLargeHeapBufferIsWrittenInSlices() throws Exception {
        byte[] data = new byte[48 << 20];
        new Random(1).nextBytes(data);
        ByteBuffer heap = ByteBuffer.wrap(data, 3, data.length - 5); // an odd window, not the whole array
        long directBefore = directPoolBytes();
        Path file = tmp.resolve("big.bin");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            AtomicFiles.writeFully(out, heap);
        }
        long growth = directPoolBytes() - directBefore;
        assertTrue(!heap.hasRemaining(), "the buffer is drained");
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 3, data.length - 2), Files.readAllBytes(file));
        assertTrue(growth <= 2L * AtomicFiles.HEAP_WRITE_SLICE, "direct memory grew by " + growth + " bytes");
    }

    private static long directPoolBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
