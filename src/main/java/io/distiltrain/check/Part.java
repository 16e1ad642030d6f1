package io.distiltrain.check;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;

/** One part of {@code check}: it runs once per process and says whether its criterion held. */
interface Part {
    Outcome run(Context c);

    /** Refuses options this part cannot run with (a UserError: bad usage, exit 2), before anything runs. */
    default void validate(Integer steps) {
    }

    /**
     * What the command was asked.
     *
     * @param device where single-device parts run, resolved; null for the engine part, which
     *     reports a missing GPU itself
     * @param deviceText --device, normalised (DeviceSpec's text)
     * @param devices the parallel part's devices, resolved; null for the other parts
     * @param steps --steps, or null for the part's default
     * @param fault the test hook: doctor what the part compares, so that it must fail
     * @param verbose --verbose: runs show their progress and warnings, errors their stack traces
     */
    record Context(Device device, String deviceText, List<Device> devices, String devicesText, Shape shape,
                   Integer steps, List<String> precisions, boolean fault, boolean verbose, PrintWriter err) {
        int stepsOr(int fallback) {
            return steps != null ? steps : fallback;
        }

        /** Where runs print their progress bars and warnings: stderr with --verbose, else nowhere. */
        PrintWriter log() {
            return verbose ? err : new PrintWriter(java.io.Writer.nullWriter());
        }

        /** training.devices for a run on {@link #device}. */
        String deviceSpec() {
            return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
        }
    }

    /**
     * @param summary one line, for people
     * @param figures the part's measurements, added to the JSON beside part, passed, seconds and summary
     */
    record Outcome(boolean passed, String summary, ObjectNode figures) {
        static ObjectNode newFigures() {
            return JsonNodeFactory.instance.objectNode();
        }

        /** A part that has nothing to check on this machine: it passes, and says why it skipped. */
        static Outcome skipped(String why, ObjectNode figures) {
            figures.put("skipped", why);
            return new Outcome(true, "skipped: " + why, figures);
        }
    }
}
