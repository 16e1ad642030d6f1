package io.distiltrain.check;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.AtomicFiles;
import io.distiltrain.UserError;
import io.distiltrain.config.DeviceSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code check PART}: one self-check of the engine and the training path on this machine's
 * devices, for a first run on a new (GPU) machine. Exit 0: the part passed; 1: it ran and its
 * criterion failed (or it broke); 2: bad usage. Each part writes one JSON object to --json.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check one part of the engine and the training path on this machine's devices, and measure it. "
                + "Parts: engine, encode, distill, parallel, resume, memory (docs/gpu.md, \"The check command\").",
            "Exit code 0: the part passed; 1: it failed its criterion or broke (see the JSON); 2: bad usage."})
public final class CheckCommand implements Callable<Integer> {
    /** The parts, in the order a new machine should run them. */
    static final Map<String, Part> PARTS = parts();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> PRECISIONS = List.of("fp32", "bf16", "fp16");

    @Parameters(index = "0", paramLabel = "PART", description = "engine, encode, distill, parallel, resume or memory.")
    String part;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEVICE",
            description = "Where the part runs: cpu, gpu:0, or auto (the first GPU, else the CPU). Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--devices", defaultValue = "auto", paramLabel = "SPEC",
            description = "The parallel part's devices: gpu:0-1, gpu:0,2, auto (every GPU), or cpu,cpu (CPU replicas). "
                    + "Default: ${DEFAULT-VALUE}.")
    String devices;

    @Option(names = "--shape", defaultValue = "bert-base", paramLabel = "SHAPE",
            description = "bert-base (the reference's models and batch) or small (for CPUs). Default: ${DEFAULT-VALUE}.")
    String shape;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the part's result here as one JSON object.")
    Path json;

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (distill: timed ones; default per part).")
    Integer steps;

    @Option(names = "--precision", defaultValue = "fp32", split = ",", paramLabel = "LIST",
            description = "distill: training precisions to run, of fp32, bf16, fp16. Default: ${DEFAULT-VALUE}.")
    List<String> precisions;

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch intra-op CPU threads (default: the engine's choice).")
    Integer threads;

    // The test hook: each part doctors what it compares so that its criterion must fail (a check
    // that cannot fail proves nothing). Hidden: not for users.
    @Option(names = "--fault", hidden = true,
            description = "Test hook: doctor what the part compares so that it must fail.")
    boolean fault;

    @Spec
    CommandSpec spec;

    private static Map<String, Part> parts() {
        Map<String, Part> m = new java.util.LinkedHashMap<>();
        m.put("engine", new EnginePart());
        m.put("encode", new EncodePart());
        m.put("distill", new DistillPart());
        m.put("parallel", new ParallelPart());
        m.put("resume", new ResumePart());
        m.put("memory", new MemoryPart());
        return Collections.unmodifiableMap(m);
    }

    @Override
    public Integer call() {
        Part p = PARTS.get(part);
        if (p == null) {
            throw new UserError("check: unknown part \"" + part + "\"; the parts are " + String.join(", ", PARTS.keySet()));
        }
        if (threads != null) {
            // Read by the engine when it starts, so before the first array: a fresh process per part.
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
        }
        checkUsage();
        p.validate(steps);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        // Replaced at the end: a part killed by the caller's time limit leaves a JSON that says so.
        write(result(new Part.Outcome(false, "did not finish (killed or crashed before its end)",
                Part.Outcome.newFigures()), 0));
        Part.Outcome outcome;
        try {
            // Devices are resolved in here: a GPU that is not there, or a CUDA libtorch that does not
            // load, is this machine failing the part (exit 1, with JSON), not bad usage.
            outcome = p.run(context());
        } catch (RuntimeException | Error e) {
            // An Error too: a CUDA libtorch that does not link is an UnsatisfiedLinkError.
            outcome = broke(e, err);
        }
        ObjectNode result = result(outcome, (System.nanoTime() - start) / 1e9);
        if (Inputs.STOPPING.get()) {
            // Killed mid-part: the "did not finish" JSON stays; what the part saw afterwards is not a result.
            return 1;
        }
        write(result);
        out.println("check " + part + ": " + (outcome.passed() ? "PASSED" : "FAILED") + " in "
                + result.get("seconds").asText() + " s: " + result.get("summary").asText());
        out.flush();
        return outcome.passed() ? 0 : 1;
    }

    /** The JSON object: the contract's fields first, then the part's figures. */
    private ObjectNode result(Part.Outcome outcome, double seconds) {
        ObjectNode result = JSON.createObjectNode();
        result.put("part", part);
        result.put("passed", outcome.passed());
        result.put("seconds", Math.round(seconds * 100) / 100.0);
        result.put("summary", outcome.summary().replaceAll("\\s*\\R\\s*", " "));
        result.setAll(outcome.figures());
        return result;
    }

    private void write(ObjectNode result) {
        if (json != null) {
            AtomicFiles.writeString(json, result.toPrettyString() + "\n");
        }
    }

    /** A part that broke has failed on this machine: the JSON still says so, with the error. */
    private Part.Outcome broke(Throwable e, PrintWriter err) {
        if (verbose()) {
            e.printStackTrace(err);
        }
        ObjectNode figures = Part.Outcome.newFigures();
        figures.put("error", String.valueOf(e.getMessage() != null ? e.getMessage() : e));
        return new Part.Outcome(false, "error: " + figures.get("error").asText(), figures);
    }

    /** The options' syntax and ranges, before anything runs: every problem here is bad usage (exit 2). */
    private void checkUsage() {
        Shape.of(shape);
        if (steps != null && steps < 1) {
            throw new UserError("--steps must be at least 1, got " + steps);
        }
        for (String precision : precisions) {
            if (!PRECISIONS.contains(precision)) {
                throw new UserError("--precision " + precision + ": use fp32, bf16 or fp16 (a comma-separated list)");
            }
        }
        if (DeviceSpec.parse(device).gpuIndices().size() > 1) {
            throw new UserError("--device " + device + " names several GPUs; give one (gpu:0), and --devices for parallel");
        }
        if (!cpuReplicas(devices)) {
            DeviceSpec.parse(devices).gpuIndices();
        }
    }

    /** The options resolved against this machine's devices. */
    private Part.Context context() {
        DeviceSpec spec = DeviceSpec.parse(device);
        // The engine part reports a missing GPU as its own finding, so only the others resolve the device.
        Device resolved = part.equals("engine") ? null : spec.resolve().get(0);
        List<Device> parallel = part.equals("parallel") ? parallelDevices(devices) : null;
        return new Part.Context(resolved, spec.text(), parallel, devices, Shape.of(shape), steps,
                List.copyOf(precisions), fault, verbose(), this.spec.commandLine().getErr());
    }

    private static boolean cpuReplicas(String text) {
        List<String> items = Arrays.asList(text.trim().toLowerCase().split(","));
        return items.size() > 1 && items.stream().allMatch("cpu"::equals);
    }

    /**
     * --devices for the parallel part: what training.devices accepts, or {@code cpu,cpu,...} for
     * CPU replicas (the config has no way to name the CPU twice; the loop takes any device list,
     * and two CPU replicas are how the project tests data parallelism without GPUs).
     */
    static List<Device> parallelDevices(String text) {
        String t = text.trim().toLowerCase();
        if (cpuReplicas(t)) {
            return new ArrayList<>(Collections.nCopies(t.split(",").length, Device.cpu()));
        }
        try {
            return DeviceSpec.parse(t).resolve();
        } catch (UserError e) {
            throw new UserError("--devices: " + e.getMessage() + "; for CPU replicas write cpu,cpu");
        }
    }

    private boolean verbose() {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            if (s.commandLine().getParseResult() != null && s.commandLine().getParseResult().hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
