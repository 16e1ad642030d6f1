package io.distiltrain.metrics;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A TensorBoard event file of scalars, readable by {@code tensorboard --logdir}: records framed
 * as {@link TfRecord}, each holding one {@link EventProto} event. The first event names the file
 * version ({@code brain.Event:2}), as every TensorFlow, torch and tensorboardX writer does.
 *
 * <p>The file is {@code events.out.tfevents.<unix seconds>.<host>.distil-train}, new for each
 * writer, as tensorboardX names its own. TensorBoard reads the event files of a folder in name
 * order, that is in the order they were started; a second writer in the same second gets a
 * {@code .2}, {@code .3}, ... suffix, which sorts after the first.
 *
 * <p>Each record is written with one call on an unbuffered stream, not fsynced: a crash loses
 * nothing that reached the operating system, and may leave a torn last record, which TensorBoard
 * treats as the end of the file (and reads on when more bytes arrive).
 */
public final class TensorBoardWriter implements Closeable {
    /** What every event file name starts with; TensorBoard picks files by the "tfevents" in it. */
    public static final String PREFIX = "events.out.tfevents.";
    private static final String SUFFIX = ".distil-train";

    private final Path file;
    private final OutputStream out;

    private TensorBoardWriter(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Whether a file of that name in a run folder is an event file (ours or another writer's). */
    public static boolean isEventFile(String fileName) {
        return fileName.startsWith(PREFIX);
    }

    /**
     * Starts a new event file in {@code dir} (made if missing) and writes its file-version event.
     *
     * @param wallTime seconds since the epoch: the file's name and first event
     */
    public static TensorBoardWriter create(Path dir, double wallTime) {
        return open(dir, wallTime, hostName(), -1);
    }

    /**
     * Starts a new event file for a run that resumes logging at {@code step}, as torch's and
     * tensorboardX's {@code SummaryWriter(purge_step=step)} does: after the usual first event, a
     * second file-version event at that step and a {@code SessionLog.START} at it. On the START TensorBoard
     * drops the values of earlier files from {@code step} on (the crashed run's steps after its
     * checkpoint, which are logged again). The data server behind TensorBoard 2.x does the
     * same on its own, START or not: a value at a step preempts the same tag's values at that step
     * and later (its {@code reservoir.rs}).
     */
    public static TensorBoardWriter resume(Path dir, double wallTime, long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0: " + step);
        }
        return open(dir, wallTime, hostName(), step);
    }

    /** @param restartStep the resumed step, or -1 for a new run */
    static TensorBoardWriter open(Path dir, double wallTime, String host, long restartStep) {
        String base = PREFIX + (long) Math.floor(wallTime) + "." + host + SUFFIX;
        try {
            Files.createDirectories(dir);
            for (int n = 1; ; n++) {
                Path file = dir.resolve(n == 1 ? base : base + "." + n);
                OutputStream out;
                try {
                    out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException taken) {
                    continue;
                }
                TensorBoardWriter writer = new TensorBoardWriter(file, out);
                try {
                    writer.write(EventProto.fileVersion(wallTime, 0));
                    if (restartStep >= 0) {
                        // The file version again, at the step: byte for byte what SummaryWriter writes.
                        writer.write(EventProto.fileVersion(wallTime, restartStep));
                        writer.write(EventProto.sessionStart(wallTime, restartStep));
                    }
                } catch (UncheckedIOException e) {
                    out.close();
                    throw e;
                }
                return writer;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an event file in " + dir, e);
        }
    }

    /** The event file being written. */
    public Path file() {
        return file;
    }

    /**
     * Writes one event with a scalar per entry, at {@code step}. Values become 32-bit floats
     * (TensorBoard's {@code simple_value}); NaN and infinities are kept, as TensorBoard shows them.
     */
    public synchronized void scalars(long step, double wallTime, Map<String, ? extends Number> values) {
        Map<String, Float> floats = new LinkedHashMap<>();
        values.forEach((tag, v) -> floats.put(tag, v.floatValue()));
        write(EventProto.scalars(wallTime, step, floats));
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    private void write(byte[] event) {
        try {
            out.write(TfRecord.frame(event)); // one write per record: a crash tears at most this one
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The host part of the name, as tensorboardX takes it; characters outside [A-Za-z0-9._-]
     * become '_' so the name stays one path element.
     */
    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
        }
        return host.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
