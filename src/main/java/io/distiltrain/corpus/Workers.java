package io.distiltrain.corpus;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The pools corpus work runs on (dump streams, page cleaning, a glob's files, data preparation's
 * tokenizer calls), and how a reader awaits a result.
 */
public final class Workers {
    private Workers() {
    }

    /** {@code threads} daemon threads named {@code name}: an abandoned reader must not keep the JVM alive. */
    public static ExecutorService pool(int threads, String name) {
        return Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A task's result, its failure rethrown as the reader would have thrown it on its own thread:
     * an IOException or a RuntimeException (a strict Problems' UserError among them) as it is.
     */
    public static <T> T await(Future<T> future, Path file) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + file);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(file + ": " + cause, cause);
        }
    }
}
