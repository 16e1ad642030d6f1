package io.distiltrain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {
    @Test
    void aUsersOwnAllocatorSettingsAreLeftAlone() {
        assertEquals("jemalloc", NativeAllocator.tune(Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2")));
        assertEquals("glibc (as the environment sets it)", NativeAllocator.tune(Map.of("MALLOC_ARENA_MAX", "4")));
        assertEquals("glibc (as the environment sets it)", NativeAllocator.tune(Map.of("MALLOC_MMAP_THRESHOLD_", "65536")));
        assertEquals("preloaded /opt/tcmalloc.so", NativeAllocator.tune(Map.of("LD_PRELOAD", "/opt/tcmalloc.so")));
    }

    @Test
    void glibcIsTunedThroughMallopt() {
        // This machine (and CI) is Linux with glibc: mallopt must be found and accept both settings.
        assertEquals("glibc (arenas 2, mmap threshold 1 MiB)", NativeAllocator.tune(Map.of()));
    }
}
