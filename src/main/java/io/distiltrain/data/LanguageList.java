package io.distiltrain.data;

import io.distiltrain.UserError;
import io.distiltrain.WikipediaLanguages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * A file of language codes, as {@code configs/mbert-104-languages.txt} is written: one language a
 * line, its code first and anything after the first blank (its name) ignored; blank lines and
 * lines starting with {@code #} are comments. Chinese's zh-hans and zh-hant read as zh, the
 * language a zhwiki dump prepares as ({@link WikipediaLanguages}).
 */
public final class LanguageList {
    private LanguageList() {
    }

    /**
     * The codes {@code file} lists.
     *
     * @param key the config key that names the file, for messages
     * @throws UserError when the file cannot be read or lists no code
     */
    public static Set<String> read(Path file, String key) {
        Set<String> codes = new TreeSet<>();
        try {
            for (String code : WikipediaLanguages.listedIn(file)) {
                codes.add(WikipediaLanguages.wikipedia(code));
            }
        } catch (IOException e) {
            throw new UserError(key + ": cannot read " + file + " (" + e.getMessage() + "); give a file of language"
                    + " codes, one a line, such as configs/mbert-104-languages.txt");
        }
        if (codes.isEmpty()) {
            throw new UserError(key + ": " + file + " lists no language; write one code a line (# starts a comment)");
        }
        return codes;
    }
}
