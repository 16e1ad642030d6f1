package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** Every command's --help reads well at 80 columns. */
class HelpTest {
    /** A line ending inside a dotted key or path ("training." / "max_steps=100", "gpu:" / "0,2"). */
    private static final Pattern ENDS_MID_KEY = Pattern.compile(".*[A-Za-z0-9_][.:/]$");
    /** The rest of a key, value or file name: "max_steps=100", "0,2.", "md).", "json,"; not a plain word ("auto."). */
    private static final Pattern CONTINUES_KEY = Pattern.compile(
            "^\\s*([a-z0-9_]*([_=]\\S*|[.:/),]\\S+)|(json|jsonl|md|txt|yaml|png|gz|bz2|xz|safetensors)\\W*)(\\s.*)?$");

    /** Every command path: [], [train], ..., [bench, encode], ... */
    private static List<List<String>> commandPaths(CommandLine cl, List<String> prefix, List<List<String>> out) {
        out.add(prefix);
        for (var sub : cl.getSubcommands().entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(sub.getKey());
            commandPaths(sub.getValue(), path, out);
        }
        return out;
    }

    private static CommandLine find(List<String> path) {
        CommandLine cl = Main.commandLine();
        for (String name : path) {
            cl = cl.getSubcommands().get(name);
        }
        return cl;
    }

    @Test
    void everyCommandsHelpFitsEightyColumnsAndDescribesEveryOption() {
        List<List<String>> paths = commandPaths(Main.commandLine(), List.of(), new ArrayList<>());
        assertTrue(paths.size() >= 15, "commands found: " + paths);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            String name = "distil-train " + String.join(" ", path);
            CliRun run = helpCapturingPicocliWarnings(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), name + ": " + run.err());
            assertFalse(run.err().contains("picocli WARN"), name + ": " + run.err());
            assertFalse(run.err().contains("Could not format"), name + ": " + run.err());
            assertTrue(run.out().contains("Usage: "), name + ": " + run.out());
            String[] lines = run.out().split("\\R");
            for (int i = 0; i < lines.length; i++) {
                assertTrue(lines[i].length() <= HelpLayout.WIDTH,
                        name + ": line over 80 columns (" + lines[i].length() + "):\n" + lines[i]);
                // a wrapped continuation is indented at least as deep as the line before (a new entry is not)
                if (i > 0 && ENDS_MID_KEY.matcher(lines[i - 1]).matches() && CONTINUES_KEY.matcher(lines[i]).matches()
                        && indent(lines[i]) >= indent(lines[i - 1])) {
                    throw new AssertionError(name + ": a word is split across lines:\n" + lines[i - 1] + "\n" + lines[i]);
                }
            }
            for (ArgSpec arg : find(path).getCommandSpec().args()) {
                String label = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
                String[] description = arg.description();
                assertTrue(description.length > 0 && !String.join(" ", description).isBlank(),
                        name + ": " + label + " has no description");
                for (String d : description) {
                    if (d.contains("%")) {
                        String.format(d); // throws when a '%' is not escaped as %%
                    }
                }
            }
            for (String d : find(path).getCommandSpec().usageMessage().description()) {
                if (d.contains("%")) {
                    String.format(d);
                }
                assertFalse(d.contains("\n"), name + ": a hard-coded line break in its description: " + d);
            }
        }
    }

    @Test
    void wrappingKeepsDottedKeysAndDeviceListsWhole() {
        String help = CliRun.of("--help").out();
        assertTrue(help.contains("training.max_steps=100"), help);
        String evaluate = CliRun.of("evaluate", "--help").out();
        assertTrue(evaluate.contains("gpu:0,2"), evaluate);
        assertTrue(evaluate.contains("15% of the tokens"), evaluate);
    }

    @Test
    void theSplitWordCheckFlagsWhatPicocliUsedToPrint() {
        String[][] split = {
            {"      --set=KEY=VALUE      Override a config key, e.g. --set training.",
                "                             max_steps=100 (repeatable)."},
            {"      --devices=SPEC      cpu, auto (every GPU, else CPU), gpu:0, gpu:0-7 or gpu:",
                "                            0,2. Default: auto."},
            {"  build-vocab   Build a BERT WordPiece tokenizer (vocab.txt, tokenizer_config.",
                "                  json, tokenizer.json) from text files, one document a line."}};
        for (String[] pair : split) {
            assertTrue(ENDS_MID_KEY.matcher(pair[0]).matches() && CONTINUES_KEY.matcher(pair[1]).matches()
                    && indent(pair[1]) >= indent(pair[0]), pair[1]);
        }
        assertFalse(CONTINUES_KEY.matcher("                            auto.").matches());
        assertFalse(CONTINUES_KEY.matcher("  fill-mask     Predict the masked words").matches());
    }

    @Test
    void breakingAtSpacesOnly() {
        String text = "Override a config key, e.g. --set training.max_steps=100 (repeatable).";
        List<int[]> lines = HelpLayout.WordWrappedTable.breakAtSpaces(text, 40, 38);
        List<String> pieces = lines.stream().map(r -> text.substring(r[0], r[1])).toList();
        assertEquals(List.of("Override a config key, e.g. --set", "training.max_steps=100 (repeatable)."), pieces);
        List<int[]> longWord = HelpLayout.WordWrappedTable.breakAtSpaces("a verylongwordwithoutspaces b", 8, 8);
        assertEquals(3, longWord.size(), "a word longer than a line gets a line of its own");
    }

    private static int indent(String line) {
        return line.length() - line.stripLeading().length();
    }

    /** picocli's own warnings go to System.err, not to the command's writer. */
    private static synchronized CliRun helpCapturingPicocliWarnings(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            CliRun run = CliRun.of(args);
            return new CliRun(run.exitCode(), run.out(), run.err() + captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }
}
