package io.distiltrain.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What was wrong with the command line, in one sentence. An unknown option is reported first,
 * with the nearest known options: picocli checks required options before it reports unmatched
 * arguments, so a misspelt {@code --modle x} would otherwise read as "missing --model".
 */
final class ParameterErrors {
    private ParameterErrors() {
    }

    /** At most this many suggestions are named. */
    private static final int MAX_SUGGESTIONS = 3;

    /** The sentence, and the command whose --help the user should read. */
    record Problem(String message, CommandLine command) {
    }

    static String describe(ParameterException ex) {
        return problem(ex).message();
    }

    static Problem problem(ParameterException ex) {
        CommandLine where = ex.getCommandLine();
        if (ex instanceof UnmatchedArgumentException u) {
            return new Problem(unmatched(u, u.getUnmatched()), where);
        }
        // An argument left unmatched by this command or one above it ("--devices gpu:0 encode"
        // puts --devices on the top level) comes before a missing or bad option: it is usually the cause.
        CommandLine first = null;
        for (CommandLine c = where; c != null; c = c.getParent()) {
            if (!c.getUnmatchedArguments().isEmpty()) {
                first = c;
            }
        }
        if (first == null) {
            return new Problem(ex.getMessage(), where);
        }
        List<String> args = first.getUnmatchedArguments();
        String message = unmatched(new UnmatchedArgumentException(first, args), args);
        String option = args.get(0).contains("=") ? args.get(0).substring(0, args.get(0).indexOf('=')) : args.get(0);
        if (first != where && where.getCommandSpec().findOption(option) != null) {
            message += "; it is an option of " + where.getCommandName() + ": write it after '"
                    + where.getCommandName() + "'";
        }
        return new Problem(message, first);
    }

    private static String unmatched(UnmatchedArgumentException u, List<String> unmatched) {
        if (unmatched == null || unmatched.isEmpty()) {
            return u.getMessage();
        }
        String first = unmatched.get(0);
        StringBuilder message = new StringBuilder();
        String name = first;
        if (u.isUnknownOption()) {
            name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            message.append("unknown option '").append(name).append("'");
        } else {
            message.append("unexpected argument '").append(first).append("'");
        }
        List<String> suggestions = nearest(name, u.getSuggestions());
        if (!suggestions.isEmpty()) {
            message.append("; did you mean ").append(String.join(" or ", suggestions)).append("?");
        }
        return message.toString();
    }

    /** picocli's suggestions, closest first, only those about as close as the best one. */
    static List<String> nearest(String typed, List<String> suggestions) {
        if (suggestions == null || suggestions.isEmpty()) {
            return List.of();
        }
        List<String> sorted = new ArrayList<>(suggestions);
        sorted.sort(Comparator.comparingInt((String s) -> distance(typed, s)));
        int best = distance(typed, sorted.get(0));
        return sorted.stream().filter(s -> distance(typed, s) <= best + 1).limit(MAX_SUGGESTIONS).toList();
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
