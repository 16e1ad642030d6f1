package io.distiltrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.distiltrain.metrics.ProcessMemory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {
    @Test
    void aUsersOwnAllocatorSettingsAreLeftAlone() {
        // jemalloc named but not loaded in this JVM: its version cannot be asked.
        assertEquals("jemalloc ? (/usr/lib/x86_64-linux-gnu/libjemalloc.so.2)",
                NativeAllocator.tune(Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2")));
        assertEquals("glibc (as the environment sets it)", NativeAllocator.tune(Map.of("MALLOC_ARENA_MAX", "4")));
        assertEquals("glibc (as the environment sets it)", NativeAllocator.tune(Map.of("MALLOC_MMAP_THRESHOLD_", "65536")));
        assertEquals("preloaded /opt/tcmalloc.so", NativeAllocator.tune(Map.of("LD_PRELOAD", "/opt/tcmalloc.so")));
        assertEquals("jemalloc ? (/opt/je/libjemalloc.so.2)",
                NativeAllocator.tune(Map.of("LD_PRELOAD", "/x/libjsig.so:/opt/je/libjemalloc.so.2")),
                "the jemalloc entry is named, wherever it stands in LD_PRELOAD");
    }

    @Test
    void glibcIsTunedThroughMallopt() {
        // This machine (and CI) is Linux with glibc: mallopt must be found and accept both settings.
        assertEquals("glibc (arenas 2, mmap threshold 1 MiB)", NativeAllocator.tune(Map.of()));
    }

    @Test
    void freePagesInsideTheHeapAreGivenBack() {
        NativeAllocator.tune(Map.of());
        NativeLibrary libc = NativeLibrary.getInstance("c");
        Function malloc = libc.getFunction("malloc");
        Function free = libc.getFunction("free");
        // 256 MiB in 64 KiB blocks, below the mmap threshold, so they come from glibc's heaps; every
        // block is written so that its pages are resident. Freeing all but the last leaves the
        // free space below a live block, where glibc's own trimming of the heap's top never reaches.
        int blocks = 4096;
        int size = 64 << 10;
        Pointer[] p = new Pointer[blocks];
        for (int i = 0; i < blocks; i++) {
            p[i] = (Pointer) malloc.invoke(Pointer.class, new Object[] {(long) size});
            for (int off = 0; off < size; off += 4096) {
                p[i].setByte(off, (byte) 1);
            }
        }
        for (int i = 0; i < blocks - 1; i++) {
            free.invokeVoid(new Object[] {p[i]});
        }
        long before = ProcessMemory.residentMib();
        assertTrue(NativeAllocator.releaseFreeMemory(), "malloc_trim gave something back");
        long after = ProcessMemory.residentMib();
        free.invokeVoid(new Object[] {p[blocks - 1]});
        assertTrue(before - after > 128, "resident memory " + before + " -> " + after + " MiB");
    }
}
