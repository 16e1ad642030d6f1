package io.distiltrain.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Usage help that wraps between words only. picocli wraps with the JDK's line BreakIterator,
 * which also breaks after '.', ':' and ',', so "--set training.max_steps=100" came out as
 * "training." and "max_steps=100" on two lines, and "gpu:0,2" as "gpu:" and "0,2". Here the
 * description, the option and parameter lists and the command list are cut at spaces; a word
 * longer than a whole line is still cut where picocli cuts it.
 */
final class HelpLayout {
    private HelpLayout() {
    }

    /** Columns of every usage message. */
    static final int WIDTH = 80;

    static final CommandLine.IHelpFactory FACTORY = WordWrappedHelp::new;

    private static final class WordWrappedHelp extends Help {
        WordWrappedHelp(CommandSpec spec, ColorScheme scheme) {
            super(spec, scheme);
        }

        @Override
        public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
                                          ColorScheme scheme) {
            TextTable original = TextTable.forDefaultColumns(scheme,
                    calcLongOptionColumnWidth(options, positionals, scheme), commandSpec().usageMessage().width());
            return new Layout(scheme, WordWrappedTable.like(original, scheme), createDefaultOptionRenderer(),
                    createDefaultParameterRenderer());
        }

        @Override
        public TextTable createTextTable(Map<?, ?> map) {
            return WordWrappedTable.like(super.createTextTable(map), colorScheme());
        }

        /** picocli's command list (name, then the header or first description line), wrapped at spaces. */
        @Override
        public String commandList(Map<String, Help> subcommands) {
            if (subcommands.isEmpty()) {
                return "";
            }
            int width = commandSpec().usageMessage().width();
            int longest = subcommands.keySet().stream().mapToInt(String::length).max().orElse(0);
            int nameWidth = Math.min(longest, width / 2);
            TextTable table = new WordWrappedTable(colorScheme(),
                    new Column(nameWidth + 2, 2, Column.Overflow.SPAN),
                    new Column(width - (nameWidth + 2), 2, Column.Overflow.WRAP));
            for (Help help : subcommands.values()) {
                var usage = help.commandSpec().usageMessage();
                String summary = usage.header().length > 0 ? usage.header()[0]
                        : usage.description().length > 0 ? usage.description()[0] : "";
                Text[] lines = colorScheme().text(formatted(summary)).splitLines();
                for (int i = 0; i < lines.length; i++) {
                    table.addRowValues(i == 0 ? help.commandNamesText(", ") : colorScheme().text(""), lines[i]);
                }
            }
            return table.toString();
        }

        @Override
        public String description(Object... params) {
            String[] paragraphs = commandSpec().usageMessage().description();
            if (paragraphs == null || paragraphs.length == 0) {
                return "";
            }
            TextTable table = new WordWrappedTable(colorScheme(),
                    new Column(commandSpec().usageMessage().width(), 0, Column.Overflow.WRAP));
            table.indentWrappedLines = 0;
            for (String paragraph : paragraphs) {
                String formatted = formatted(paragraph, params);
                for (String line : formatted.split("\\R", -1)) {
                    table.addRowValues(colorScheme().text(line));
                }
            }
            return table.toString();
        }

        /** picocli's formatting of a description: {@code %n} and {@code %%} like String.format. */
        private static String formatted(String text, Object... params) {
            if (!text.contains("%")) {
                return text;
            }
            try {
                return String.format(text, params);
            } catch (java.util.IllegalFormatException e) {
                return text;
            }
        }
    }

    /** A text table whose wrapping columns break lines at spaces only. */
    static final class WordWrappedTable extends TextTable {
        private final ColorScheme scheme;

        WordWrappedTable(ColorScheme scheme, Column... columns) {
            super(scheme, columns);
            this.scheme = scheme;
        }

        static WordWrappedTable like(TextTable original, ColorScheme scheme) {
            WordWrappedTable table = new WordWrappedTable(scheme, original.columns());
            table.indentWrappedLines = original.indentWrappedLines;
            table.setAdjustLineBreaksForWideCJKCharacters(original.isAdjustLineBreaksForWideCJKCharacters());
            return table;
        }

        @Override
        public Cell putValue(int row, int col, Text value) {
            Column column = columns()[col];
            if (column.overflow != Column.Overflow.WRAP || value == null) {
                return super.putValue(row, col, value);
            }
            String plain = value.plainString();
            int first = column.width - column.indent;
            int rest = first - indentWrappedLines;
            if (plain.length() <= first && plain.indexOf('\n') < 0) {
                return super.putValue(row, col, value);
            }
            List<int[]> lines = breakAtSpaces(plain, first, rest);
            Cell cell = null;
            for (int i = 0; i < lines.size(); i++) {
                Text piece = value.substring(lines.get(i)[0], lines.get(i)[1]);
                if (i > 0) {
                    addEmptyRow();
                    row++;
                    piece = scheme.text(" ".repeat(indentWrappedLines)).concat(piece);
                }
                cell = super.putValue(row, col, piece);
                row = cell.row;
            }
            return cell;
        }

        /**
         * [start, end) of each line of {@code text}: the first at most {@code first} characters
         * long, the others {@code rest}, cut at spaces (which are dropped) and at line breaks.
         */
        static List<int[]> breakAtSpaces(String text, int first, int rest) {
            List<int[]> lines = new ArrayList<>();
            int start = 0;
            int n = text.length();
            while (start < n) {
                int width = Math.max(1, lines.isEmpty() ? first : rest);
                int newline = text.indexOf('\n', start);
                int hardEnd = newline < 0 ? n : newline;
                int end;
                if (hardEnd - start <= width) {
                    end = hardEnd;
                } else {
                    end = text.lastIndexOf(' ', start + width);
                    if (end <= start) { // one word longer than the line: picocli cuts it
                        int space = text.indexOf(' ', start);
                        end = space < 0 || space > hardEnd ? hardEnd : space;
                    }
                }
                lines.add(new int[] {start, trimEnd(text, start, end)});
                start = end;
                if (start < n && text.charAt(start) == '\n') {
                    start++;
                }
                while (start < n && text.charAt(start) == ' ') {
                    start++;
                }
            }
            if (lines.isEmpty()) {
                lines.add(new int[] {0, 0});
            }
            return lines;
        }

        private static int trimEnd(String text, int start, int end) {
            while (end > start && text.charAt(end - 1) == ' ') {
                end--;
            }
            return end;
        }
    }
}
