package io.distiltrain.finetune;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A learnable classification task in the words of the test fixture's vocabulary. */
public final class FineTuningTestFiles {
    private FineTuningTestFiles() {
    }

    /** Label "yes" when the text holds "hello": one token's presence, which attention finds in a few steps. */
    public static Path task(Path file, int n, long seed) throws Exception {
        Random r = new Random(seed);
        String[] words = {"the", "a", "model", "is", "small", "world", "fashion", "w1", "w2", "w3", "w4", "w5"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean yes = r.nextBoolean();
            StringBuilder text = new StringBuilder();
            int len = 6 + r.nextInt(8);
            int at = r.nextInt(len);
            for (int w = 0; w < len; w++) {
                text.append(w == 0 ? "" : " ").append(yes && w == at ? "hello" : words[r.nextInt(words.length)]);
            }
            lines.add("{\"text\": \"" + text + "\", \"label\": \"" + (yes ? "yes" : "no") + "\"}");
        }
        return Files.write(file, lines);
    }

}
