package io.distiltrain.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** JSON lines of token ids ({@code [101, 7592, 102]}), one sequence a line; blank lines are skipped. */
public final class TokenIdLines {
    private TokenIdLines() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The sequences, each id checked against the vocabulary; errors name the file and line. */
    public static List<long[]> read(Path file, int vocabSize) {
        List<long[]> out = new ArrayList<>();
        List<String> lines = TextLines.read(file);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty()) {
                continue;
            }
            out.add(parse(line, file + " line " + (n + 1), vocabSize));
        }
        return out;
    }

    static long[] parse(String line, String where, int vocabSize) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new UserError(where + ": not JSON; each line must be an array of token ids like [101, 7592, 102]");
        }
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new UserError(where + ": expected a non-empty array of token ids like [101, 7592, 102]");
        }
        long[] ids = new long[node.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() >= vocabSize) {
                throw new UserError(where + ": token id " + v + " is outside the vocabulary (0.." + (vocabSize - 1)
                        + ")");
            }
            ids[i] = v.asLong();
        }
        return ids;
    }
}
