package io.distiltrain.tokenizer;

import java.util.Map;

/**
 * Vocabulary ids looked up by a range of a char array, without making a String for each lookup:
 * WordPiece tries every prefix of a word from the longest down, and the words come straight out
 * of the text. Open addressing, immutable once built, safe to read from several threads.
 */
final class TokenTable {
    private final String[] keys;
    private final int[] hashes;
    private final int[] ids;
    private final int mask;

    /** A table of {@code tokens}' entries; {@code keyOf} gives each token's key, or null to leave it out. */
    TokenTable(Map<String, Integer> tokens, java.util.function.UnaryOperator<String> keyOf) {
        int capacity = Integer.highestOneBit(Math.max(4, tokens.size() * 2) - 1) << 1;
        keys = new String[capacity];
        hashes = new int[capacity];
        ids = new int[capacity];
        mask = capacity - 1;
        for (Map.Entry<String, Integer> e : tokens.entrySet()) {
            String key = keyOf.apply(e.getKey());
            if (key != null) {
                put(key, e.getValue());
            }
        }
    }

    private void put(String key, int id) {
        int h = hash(key.toCharArray(), 0, key.length());
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            if (keys[slot] == null) {
                keys[slot] = key;
                hashes[slot] = h;
                ids[slot] = id;
                return;
            }
        }
    }

    /** The id of the key {@code chars[from, to)}, or -1. */
    int get(char[] chars, int from, int to) {
        int h = hash(chars, from, to);
        for (int slot = h & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            if (hashes[slot] == h && equal(keys[slot], chars, from, to)) {
                return ids[slot];
            }
        }
        return -1;
    }

    private static boolean equal(String key, char[] chars, int from, int to) {
        if (key.length() != to - from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (key.charAt(i - from) != chars[i]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(char[] chars, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + chars[i];
        }
        return h ^ (h >>> 16); // the low bits pick the slot: mix the high ones in
    }
}
