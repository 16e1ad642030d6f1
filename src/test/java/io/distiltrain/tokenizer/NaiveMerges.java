package io.distiltrain.tokenizer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The WordPiece merge loop written the slow, obvious way, separately from PairMerges: after each
 * merge every pair of every word is counted again.
 */
final class NaiveMerges {
    private NaiveMerges() {}

    static List<String> run(List<String> lines, List<String> alphabet) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : lines) {
            for (String word : BertWords.of(line, true)) {
                counts.merge(word, 1L, Long::sum);
            }
        }
        List<List<String>> words = new ArrayList<>();
        List<Long> wordCounts = new ArrayList<>();
        counts.forEach((word, count) -> {
            List<String> symbols = new ArrayList<>();
            word.codePoints().forEach(cp -> symbols.add(
                    (symbols.isEmpty() ? "" : "##") + new String(Character.toChars(cp))));
            words.add(symbols);
            wordCounts.add(count);
        });
        Set<String> known = new HashSet<>(alphabet);
        List<String> merges = new ArrayList<>();
        while (true) {
            Map<List<String>, Long> pairs = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                    ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
            for (int w = 0; w < words.size(); w++) {
                List<String> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) {
                    pairs.merge(List.of(s.get(i), s.get(i + 1)), wordCounts.get(w), Long::sum);
                }
            }
            List<String> best = null;
            long bestCount = 1; // a pair must occur at least twice
            for (var e : pairs.entrySet()) { // in string order, so the first of equal counts wins
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null) {
                return merges;
            }
            String piece = best.get(0) + best.get(1).substring(2);
            for (List<String> s : words) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.get(i).equals(best.get(0)) && s.get(i + 1).equals(best.get(1))) {
                        s.set(i, piece);
                        s.remove(i + 1);
                    }
                }
            }
            if (known.add(piece)) {
                merges.add(piece);
            }
        }
    }
}
