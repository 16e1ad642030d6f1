package io.distiltrain;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Which floating-point types the loaded PyTorch JNI library can create.
 *
 * <p>DJL 0.35.1's own JNI library maps DJL's types to torch's for float32, float16 and the
 * integer types only: handed bfloat16 it ends the process (a bare C++ {@code throw;}), so no
 * Java code can try it and recover. {@code data-scripts/build-jni.sh} adds the type to the copy
 * of DJL's sources it compiles and leaves {@value #MARKER} beside the library it builds; bfloat16
 * is used only when the library DJL loads (the folder PYTORCH_LIBRARY_PATH names) has it.
 */
public final class NativeTypes {
    /** Written by data-scripts/build-jni.sh next to libdjl_torch.so. */
    public static final String MARKER = "distil-train-jni.properties";

    private NativeTypes() {
    }

    /** Whether the JNI library DJL loads here was built with bfloat16. */
    public static boolean bfloat16() {
        String dir = System.getProperty("PYTORCH_LIBRARY_PATH", System.getenv("PYTORCH_LIBRARY_PATH"));
        if (dir == null || dir.isBlank()) {
            return false;
        }
        Path marker = Path.of(dir).resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(marker)) {
            p.load(r);
        } catch (IOException e) {
            return false;
        }
        return "true".equals(p.getProperty("bfloat16"));
    }

    /** Stops with the fix when bfloat16 is asked for ({@code key} says where) and the library lacks it. */
    public static void requireBfloat16(String key) {
        if (!bfloat16()) {
            throw new UserError(key + ": bf16 needs a PyTorch JNI library with bfloat16, which DJL 0.35.1's own "
                    + "lacks; build one with data-scripts/build-jni.sh and export the PYTORCH_LIBRARY_PATH it prints "
                    + "(docs/gpu.md), or use fp16");
        }
    }
}
