package io.distiltrain.cli;

import io.distiltrain.UserError;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code java -jar distil-train.jar COMMAND ...}: the entry point and its error policy. */
@Command(name = "distil-train",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Train small BERT-family students by knowledge distillation (DJL + PyTorch).",
        subcommands = {
            TrainCommand.class,
            PrepareDataCommand.class,
            DownloadCommand.class,
            FinetuneCommand.class,
            RetentionCommand.class,
            CompareCommand.class,
            CorpusCommand.class,
            EvaluateCommand.class,
            ExportCommand.class,
            DemoCommand.class,
            InitStudentCommand.class,
            EncodeCommand.class,
            FillMaskCommand.class,
            BenchCommand.class,
            PlotCommand.class,
            BuildVocabCommand.class,
            io.distiltrain.check.CheckCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** Exit code for problems the user can fix: bad options, missing or corrupt files. */
    public static final int USER_ERROR = 2;
    public static final int INTERNAL_ERROR = 1;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces and debug output.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    TrainOptions train;

    /** {@code distil-train --config FILE}: the main job; without it, the usage. */
    @Override
    public Integer call() throws java.io.IOException {
        if (train.config != null) {
            return TrainCommand.run(train, spec);
        }
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    public static void main(String[] args) {
        // DJL reports usage to a cloud metadata address unless told not to; a CLI has no business
        // making calls the user did not ask for. A user can still opt in with -DOPT_OUT_TRACKING=false.
        if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        try {
            io.distiltrain.JemallocRelaunch.relaunchIfUseful(Main.class); // jemalloc where it can run: returns in the relaunched process
        } catch (UserError e) {
            System.err.println("error: " + e.getMessage());
            System.exit(USER_ERROR);
        }
        io.distiltrain.NativeAllocator.tune(); // before libtorch's first allocation
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code instead of exiting (for tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line with the CLI's error policy: a bad option or argument, a {@link UserError}
     * and a disk problem each end in one {@code error:} line and exit code 2; anything else is an
     * internal error (exit 1). Stack traces only with {@code --verbose}. Help is wrapped at 80
     * columns between words only ({@link HelpLayout}).
     */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setUsageHelpWidth(HelpLayout.WIDTH);
        cl.setHelpFactory(HelpLayout.FACTORY);
        cl.setParameterExceptionHandler((ex, argv) -> {
            ParameterErrors.Problem problem = ParameterErrors.problem(ex);
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + problem.message() + " (see '"
                    + problem.command().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return USER_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, command, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            PrintWriter err = command.getErr();
            if (verbose) {
                ex.printStackTrace(err);
            }
            try {
                if (ex instanceof UserError) {
                    err.println("error: " + ex.getMessage());
                    return USER_ERROR;
                }
                String io = IoProblems.explain(ex);
                if (io != null) {
                    err.println("error: " + io);
                    return USER_ERROR;
                }
                err.println("error: internal error: " + ex + (verbose ? "" : " (run with --verbose for details)"));
                return INTERNAL_ERROR;
            } finally {
                err.flush();
            }
        });
        return cl;
    }

    /** The version from the jar manifest, when built. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"distil-train " + (v == null ? "(development build)" : v)};
        }
    }
}
