package io.distiltrain.cli;

import ai.djl.ndarray.NDManager;
import io.distiltrain.UserError;
import io.distiltrain.compare.Comparison;
import io.distiltrain.compare.ComparisonChart;
import io.distiltrain.compare.ComparisonReport;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.model.ModelFolder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Teacher against student on the same held-out sequences and the same masks: masked-LM "
                + "accuracy, perplexity, top-1 agreement, KL(teacher || student) at T = 1, parameters, weight bytes, "
                + "and inference latency (batch 1) and throughput (batch 32) on the chosen device; per language when "
                + "the data has several.",
            "Prints a table; --json and --png write it as JSON and as a bar chart."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--teacher", required = true, paramLabel = "DIR", description = "The teacher: a folder or Hub id.")
    Path teacher;

    @Option(names = "--student", required = true, paramLabel = "DIR", description = "The student: a folder or Hub id.")
    Path student;

    @Option(names = "--data", required = true, paramLabel = "PREPARED", description = "A prepared held-out dataset.")
    Path data;

    @Option(names = "--max-sequences", paramLabel = "N", description = "Only the first N sequences. Default: all.")
    Long maxSequences;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--png", paramLabel = "FILE", description = "Also draw them as a bar chart.")
    Path png;

    @Mixin
    Common.DeviceOption device;

    @Spec
    CommandSpec spec;

    /** A folder by its name, a Hub id as written. */
    private static String name(Path given) {
        return java.nio.file.Files.isDirectory(given) ? given.toAbsolutePath().normalize().getFileName().toString()
                : given.toString();
    }

    @Override
    public Integer call() {
        if (maxSequences != null && maxSequences < 1) {
            throw new UserError("--max-sequences " + maxSequences + ": must be at least 1; leave it out for all");
        }
        Path t = Common.modelFolder(teacher, "--teacher");
        Path s = Common.modelFolder(student, "--student");
        EvaluateCommand.requirePreparedDataset(data);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PreparedDataset dataset = PreparedDataset.open(data);
        try (NDManager manager = NDManager.newBaseManager(device.first())) {
            MaskedLmModel tm = ModelFolder.load(t, manager, err::println);
            MaskedLmModel sm = ModelFolder.load(s, manager, err::println);
            Comparison c = Comparison.of(name(teacher), tm, name(student), sm,
                    dataset, maxSequences == null ? 0 : maxSequences, manager);
            out.print(ComparisonReport.text(c));
            if (json != null) {
                ComparisonReport.writeJson(c, json);
                out.println("JSON -> " + json);
            }
            if (png != null) {
                ComparisonChart.write(c, png);
                out.println("chart -> " + png);
            }
        }
        out.flush();
        return 0;
    }
}
