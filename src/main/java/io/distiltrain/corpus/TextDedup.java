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

    private record Key(long a, long b) {
    }

    /** True the first time a text is seen, false for every later copy. */
    public boolean add(String text) {
        byte[] h = Sha256.newDigest().digest(text.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.wrap(h);
        return seen.add(new Key(b.getLong(0), b.getLong(8)));
    }
}
