package io.distiltrain.cli;

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

    static String describe(ParameterException ex) {
        CommandLine where = ex.getCommandLine();
        List<String> unmatched = ex instanceof UnmatchedArgumentException u ? u.getUnmatched()
                : where.getUnmatchedArguments();
        if (unmatched == null || unmatched.isEmpty()) {
            return ex.getMessage();
        }
        UnmatchedArgumentException u = ex instanceof UnmatchedArgumentException x ? x
                : new UnmatchedArgumentException(where, unmatched);
        String first = unmatched.get(0);
        StringBuilder message = new StringBuilder();
        if (u.isUnknownOption()) {
            String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            message.append("unknown option '").append(name).append("'");
        } else {
            message.append(unmatched.size() == 1 ? "unexpected argument '" : "unexpected arguments '")
                    .append(String.join(" ", unmatched)).append("'");
        }
        List<String> suggestions = u.getSuggestions();
        if (!suggestions.isEmpty()) {
            List<String> named = suggestions.subList(0, Math.min(MAX_SUGGESTIONS, suggestions.size()));
            message.append("; did you mean ").append(String.join(" or ", named)).append("?");
        }
        return message.toString();
    }
}
