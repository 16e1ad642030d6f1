package io.distiltrain.hub;

import io.distiltrain.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * What a cached blob's name promises about its bytes. The Hub names a file by its ETag: the
 * SHA-256 of the content for LFS files (64 hex digits, {@code X-Linked-Etag}), and git's blob id,
 * SHA-1 of {@code "blob <size>\0"} and the content, for the others (40 hex digits). So every blob
 * in the cache can be checked against its own name, with or without the network.
 */
final class BlobHash {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern GIT_SHA1 = Pattern.compile("[0-9a-f]{40}");

    private BlobHash() {
    }

    /** Whether {@code etag} is a hash this class can check (otherwise only the size can be). */
    static boolean checkable(String etag) {
        return SHA256.matcher(etag).matches() || GIT_SHA1.matcher(etag).matches();
    }

    /** Whether {@code file}'s bytes hash to {@code etag}; true for an etag of no known form. */
    static boolean matches(Path file, String etag) throws IOException {
        if (SHA256.matcher(etag).matches()) {
            return Sha256.of(file).equals(etag);
        }
        if (GIT_SHA1.matcher(etag).matches()) {
            return gitBlobId(file).equals(etag);
        }
        return true;
    }

    /** git's id of a blob: SHA-1 over a {@code "blob <size>\0"} header and the content. */
    static String gitBlobId(Path file) throws IOException {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        sha1.update(("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[Sha256.BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha1.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha1.digest());
    }
}
