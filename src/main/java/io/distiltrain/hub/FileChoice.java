package io.distiltrain.hub;

import io.distiltrain.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Which files of a repository to fetch. */
public interface FileChoice {
    /** The files wanted among {@code all}; a refusal (no weights, nothing matched) is a {@link UserError}. */
    List<RemoteFile> choose(HubRepo repo, List<RemoteFile> all);

    /** The folder to list ("" for the whole repository): the fixed part of the patterns, so a large dataset is not listed whole. */
    default String folder() {
        return "";
    }

    /** What a model folder needs and nothing else: {@link ModelFilesChoice}. */
    static FileChoice model() {
        return new ModelFilesChoice();
    }

    /**
     * Files matching any of {@code patterns}, as huggingface_hub's {@code allow_patterns}
     * (fnmatch: {@code *} also crosses '/'); every file when the list is empty.
     */
    static FileChoice matching(List<String> patterns) {
        List<Pattern> regexes = patterns.stream().map(FileChoice::globRegex).toList();
        String folder = commonFolder(patterns);
        return new FileChoice() {
            @Override
            public List<RemoteFile> choose(HubRepo repo, List<RemoteFile> all) {
                List<RemoteFile> out = new ArrayList<>();
                for (RemoteFile f : all) {
                    if (regexes.isEmpty() || regexes.stream().anyMatch(r -> r.matcher(f.path()).matches())) {
                        out.add(f);
                    }
                }
                if (out.isEmpty()) {
                    throw new UserError(repo + " has no file matching " + String.join(", ", patterns)
                            + " (" + all.size() + " files listed" + (folder.isEmpty() ? "" : " under " + folder + "/")
                            + "); check the pattern against the repository's files");
                }
                return out;
            }

            @Override
            public String folder() {
                return folder;
            }
        };
    }

    /** fnmatch's translation: {@code *} any run, {@code ?} one character, {@code [...]} a set. */
    static Pattern globRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        b.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, end);
                        b.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
                        i = end;
                    }
                }
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }

    /** The deepest folder every pattern lies in before its first wildcard ("" if none is shared). */
    private static String commonFolder(List<String> patterns) {
        String common = null;
        for (String p : patterns) {
            int wild = firstWildcard(p);
            String fixed = p.substring(0, wild);
            String dir = fixed.contains("/") ? fixed.substring(0, fixed.lastIndexOf('/')) : "";
            if (wild == p.length() && !p.contains("/")) {
                dir = "";
            }
            common = common == null ? dir : sharedPrefixFolder(common, dir);
        }
        return common == null ? "" : common;
    }

    private static int firstWildcard(String p) {
        for (int i = 0; i < p.length(); i++) {
            if (Set.of('*', '?', '[').contains(p.charAt(i))) {
                return i;
            }
        }
        return p.length();
    }

    private static String sharedPrefixFolder(String a, String b) {
        String[] x = a.split("/");
        String[] y = b.split("/");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(x.length, y.length) && x[i].equals(y[i]); i++) {
            out.append(out.length() == 0 ? "" : "/").append(x[i]);
        }
        return out.toString();
    }
}
