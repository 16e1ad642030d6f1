package io.distiltrain.distill;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a polite request: the training loop finishes the optimizer step
 * it is in, saves a checkpoint and returns, so the process exits 0 and a later run resumes
 * exactly. A second signal while the first is being honoured ends the process at once (exit 130).
 *
 * <p>sun.misc.Signal (module jdk.unsupported) is used instead of a shutdown hook because a hook
 * runs only after the JVM has begun to exit: the loop could not return normally, and the exit
 * status would be 143 whatever happened.
 */
public final class StopSignal {
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile long stopAtStep = Long.MAX_VALUE;
    private volatile String signalName = "";

    /** Installs the handlers for the life of the process; harmless where signals are unsupported. */
    public static StopSignal install() {
        StopSignal stop = new StopSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> stop.onSignal(s.getName()));
            } catch (IllegalArgumentException unsupported) {
                // e.g. INT is reserved when the JVM runs with -Xrs; TERM alone still works
            }
        }
        return stop;
    }


    private void onSignal(String name) {
        if (!requested.compareAndSet(false, true)) {
            System.err.println("\nsecond SIG" + name + ": stopping now without saving");
            Runtime.getRuntime().halt(130);
        }
        signalName = "SIG" + name;
        System.err.println("\nSIG" + name + " received: finishing this step, then saving a checkpoint");
    }

    /** A stop requested once the run reaches {@code step} optimizer steps (tests, time-boxed runs). */
    public static StopSignal afterStep(long step) {
        StopSignal stop = new StopSignal();
        stop.stopAtStep = step;
        stop.signalName = "a stop requested after step " + step;
        return stop;
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
}
