package io.distiltrain.corpus;

import io.distiltrain.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Exact duplicate documents, by the SHA-256 of the text, of which 128 bits are kept (16 bytes a
 * document: 100 million documents fit in a few GiB, and a false match is as likely as a hash
 * collision). Not thread-safe.
 */
public final class TextDedup {
    private final Set<Key> seen = new HashSet<>();

    /** The 128 bits of a text's SHA-256 that identify it. */
    public record Key(long a, long b) {
        public static Key of(String text) {
            ByteBuffer h = ByteBuffer.wrap(Sha256.newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
            return new Key(h.getLong(0), h.getLong(8));
        }
    }

    /** True the first time a text is seen, false for every later copy. */
    public boolean add(String text) {
        return add(Key.of(text));
    }

    /** True the first time a key is seen (a restarted preparation reloads the keys it had). */
    public boolean add(Key key) {
        return seen.add(key);
    }
}
