package io.distiltrain.hub;

/**
 * One file of a repository at a commit, as the Hub's tree listing describes it.
 *
 * @param path      relative to the repository root, with '/' separators
 * @param size      bytes of the content (for an LFS file its real size, not the pointer's)
 * @param gitOid    git's blob id: the file's ETag when it is not stored in LFS
 * @param lfsSha256 the SHA-256 of the content for an LFS file (its ETag), or null
 */
public record RemoteFile(String path, long size, String gitOid, String lfsSha256) {
    /** The name its blob has in the cache: what the Hub sends as ETag (or X-Linked-Etag). */
    public String etag() {
        return lfsSha256 != null ? lfsSha256 : gitOid;
    }

    /** The last path segment. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Whether the file lies at the repository's root. */
    public boolean atRoot() {
        return path.indexOf('/') < 0;
    }
}
