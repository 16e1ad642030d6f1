package io.distiltrain.train;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Turns SIGTERM, SIGINT and SIGHUP (a dropped SSH session) into a polite request: the training
 * loop finishes the optimizer step it is in, saves a checkpoint and returns; the process then
 * exits with the shell's code for the signal (128 + its number: 143, 130, 129) so that scripts
 * can tell a stopped run from a finished one, and a later run resumes exactly. A second signal
 * while the first is being honoured ends the process at once, with the same code.
 *
 * <p>sun.misc.Signal (module jdk.unsupported) is used instead of a shutdown hook because a hook
 * runs only after the JVM has begun to exit: the loop could not return normally.
 */
public final class StopSignal {
    /** The signals honoured, with their numbers on Linux and macOS. */
    private static final Map<String, Integer> SIGNALS = Map.of("TERM", 15, "INT", 2, "HUP", 1);

    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile long stopAtStep = Long.MAX_VALUE;
    private volatile String signalName = "";
    private volatile int exitCode;

    /** Installs the handlers for the life of the process; harmless where signals are unsupported. */
    public static StopSignal install() {
        StopSignal stop = new StopSignal();
        SIGNALS.forEach((name, number) -> {
            try {
                Signal.handle(new Signal(name), s -> stop.onSignal(s.getName(), 128 + number));
            } catch (IllegalArgumentException unsupported) {
                // e.g. INT is reserved when the JVM runs with -Xrs; the others still work
            }
        });
        return stop;
    }

    private void onSignal(String name, int code) {
        if (!requested.compareAndSet(false, true)) {
            System.err.println("\nsecond SIG" + name + ": stopping now without saving");
            Runtime.getRuntime().halt(code);
        }
        signalName = "SIG" + name;
        exitCode = code;
        System.err.println("\nSIG" + name + " received: finishing this step, then saving a checkpoint");
    }

    /** A stop requested once the run reaches {@code step} optimizer steps (tests, time-boxed runs); exit code 0. */
    public static StopSignal afterStep(long step) {
        StopSignal stop = new StopSignal();
        stop.stopAtStep = step;
        stop.signalName = "a stop requested after step " + step;
        return stop;
    }

    /**
     * Asks the loop to stop after the step it is in, as a signal would: a time limit, a test
     * that stops in the middle of an accumulation.
     */
    public void request(String reason, int code) {
        signalName = reason;
        exitCode = code;
        requested.set(true);
    }

    /** Whether the loop should stop now, having done {@code optimizerStep} steps. */
    public boolean requested(long optimizerStep) {
        return requested.get() || optimizerStep >= stopAtStep;
    }

    public boolean requested() {
        return requested.get();
    }

    public String reason() {
        return signalName;
    }

    /** The process's exit code after the stop: 128 + the signal's number, 0 for {@link #afterStep}. */
    public int exitCode() {
        return exitCode;
    }
}
