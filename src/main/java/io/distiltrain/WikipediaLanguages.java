package io.distiltrain;

/**
 * How a language code of a list such as configs/mbert-104-languages.txt names its Wikipedia, in
 * one place for the preparation config (which finds the dumps) and training (which selects the
 * prepared languages). multilingual BERT counts Chinese twice, as Simplified and Traditional, with
 * the script-variant codes zh-hans and zh-hant; both are the one Chinese Wikipedia, zh, whose dump
 * (zhwiki) prepares as the language zh.
 */
public final class WikipediaLanguages {
    private WikipediaLanguages() {
    }

    /**
     * The codes a language list names, in order, as written: the first word of each line that is
     * not blank or a {@code #} comment (configs/mbert-104-languages.txt: code, then the name).
     */
    public static java.util.List<String> listedIn(java.nio.file.Path file) throws java.io.IOException {
        java.util.List<String> codes = new java.util.ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                codes.add(t.split("\\s+", 2)[0]);
            }
        }
        return codes;
    }

    /** The Wikipedia's code (its subdomain): zh for zh-hans and zh-hant, otherwise the code itself. */
    public static String wikipedia(String code) {
        return code.equals("zh-hans") || code.equals("zh-hant") ? "zh" : code;
    }

    /**
     * The dump's database name without its "wiki" suffix: hyphens as underscores (zh-min-nan is
     * zh_min_nan), and be-tarask, the one wiki whose database kept its old code, be_x_old.
     */
    public static String dbname(String code) {
        String wiki = wikipedia(code);
        return (wiki.equals("be-tarask") ? "be-x-old" : wiki).replace('-', '_');
    }
}
