package io.distiltrain.cli;

import io.distiltrain.UserError;
import io.distiltrain.metrics.LossPlot;
import io.distiltrain.metrics.MetricsLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Plot a run's losses and learning rate from its metrics log as a PNG.",
            "One line per loss series present (loss, loss_ce, loss_mlm, loss_cos, loss_mse) against the step; "
                    + "the learning rate in a panel below. Works on the log of a run that is still going."})
final class PlotCommand implements Callable<Integer> {
    @Option(names = "--metrics", required = true, paramLabel = "FILE", description = "metrics.jsonl of a run.")
    Path metrics;

    @Option(names = "--output", required = true, paramLabel = "FILE.png", description = "The PNG file to write.")
    Path output;

    @Option(names = "--title", paramLabel = "TEXT", description = "Plot title. Default: the run folder's name.")
    String title;

    @Option(names = "--y-scale", defaultValue = "auto", paramLabel = "SCALE",
            converter = ScaleConverter.class,
            description = "auto, linear or log for the loss axis; auto is log when the losses span more than "
                    + "two decades. Default: ${DEFAULT-VALUE}.")
    LossPlot.YScale scale;

    @Option(names = "--overwrite", description = "Replace --output if it exists.")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Common.existingFile(metrics, "--metrics");
        Common.requireFreshFile(output, overwrite, "--output");
        List<Map<String, Object>> records = MetricsLog.read(metrics);
        if (records.isEmpty()) {
            throw new UserError("--metrics " + metrics + " holds no records yet; plot again once the run has logged "
                    + "a step");
        }
        // Drawing needs no window; without this a desktop JVM may still start a GUI session for AWT
        // (a Dock icon on macOS). Only set when the user has not chosen.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        LossPlot.render(records, output, title != null ? title : defaultTitle(), scale);
        String series = String.join(", ", LossPlot.seriesIn(records).keySet());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("plotted %d record(s) (%s) -> %s%n", records.size(), series, output);
        out.flush();
        return 0;
    }

    /** The run's folder name: metrics.jsonl itself says nothing about which run it is. */
    private String defaultTitle() {
        Path dir = metrics.toAbsolutePath().normalize().getParent();
        return dir != null && dir.getFileName() != null ? dir.getFileName().toString() : metrics.getFileName().toString();
    }

    /** Lower-case names on the command line, like the rest of its options. */
    static final class ScaleConverter implements ITypeConverter<LossPlot.YScale> {
        @Override
        public LossPlot.YScale convert(String value) {
            try {
                return LossPlot.YScale.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not auto, linear or log");
            }
        }
    }
}
