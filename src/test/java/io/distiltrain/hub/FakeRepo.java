package io.distiltrain.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One repository of a {@link FakeHub}: its commits, branches, tags and who may read it.
 *
 * <p>Which files are LFS: the real Hub decides by the repo's {@code .gitattributes}; the fake
 * uses a fixed rule instead, {@link #isLfs}: names ending in .safetensors .bin .parquet .h5
 * .msgpack .ot .onnx .model, or files over 10 MiB.
 */
public final class FakeRepo {
    /** Files larger than this are LFS whatever their name, as the Hub's default .gitattributes do. */
    public static final long LFS_THRESHOLD = 10L << 20;

    private static final String[] LFS_SUFFIXES = {
        ".safetensors", ".bin", ".parquet", ".h5", ".msgpack", ".ot", ".onnx", ".model"
    };

    /** One stored file: its bytes and the hashes the Hub reports for it. */
    record Blob(byte[] bytes, String gitSha1, String sha256, boolean lfs, byte[] pointer) {
        static Blob of(String path, byte[] bytes) {
            boolean lfs = isLfs(path, bytes.length);
            String sha256 = hex("SHA-256", bytes);
            // The git object of an LFS file is its pointer, so the tree's "oid" is the pointer's sha1.
            byte[] pointer = lfs ? ("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256
                    + "\nsize " + bytes.length + "\n").getBytes(StandardCharsets.US_ASCII) : null;
            return new Blob(bytes.clone(), gitBlobSha1(lfs ? pointer : bytes), sha256, lfs, pointer);
        }
    }

    /** A commit: the whole tree of files at that point. */
    record Commit(String sha, SortedMap<String, Blob> files) {}

    private final String type;
    private final String id;
    private final Set<String> hubTokens;
    private final Map<String, Commit> commits = new ConcurrentHashMap<>();
    private final Map<String, String> branches = new ConcurrentHashMap<>();
    private final Map<String, String> tags = new ConcurrentHashMap<>();
    private final Set<String> readers = ConcurrentHashMap.newKeySet();
    private volatile boolean gated;
    private volatile boolean isPrivate;

    FakeRepo(String type, String id, Set<String> hubTokens) {
        this.type = type;
        this.id = id;
        this.hubTokens = hubTokens;
    }

    /**
     * Makes a new commit on a branch (created if missing) holding exactly these files.
     *
     * @param branch the branch, e.g. "main" or "refs/pr/1"
     * @param files path in the repo ("a/b.txt") to content: the whole tree at that commit
     * @return the commit's 40-hex sha, a function of the repo, the parent commit and the content
     */
    public synchronized String commit(String branch, Map<String, byte[]> files) {
        SortedMap<String, Blob> tree = new TreeMap<>();
        files.forEach((path, bytes) -> tree.put(path, Blob.of(path, bytes)));
        StringBuilder text = new StringBuilder(type + " " + id + "\nparent " + branches.get(branch) + "\n");
        tree.forEach((path, blob) -> text.append(path).append('\0').append(blob.gitSha1()).append('\n'));
        String sha = hex("SHA-1", text.toString().getBytes(StandardCharsets.UTF_8));
        commits.put(sha, new Commit(sha, Collections.unmodifiableSortedMap(tree)));
        branches.put(branch, sha);
        return sha;
    }

    /** Points a tag at a commit of this repo. */
    public FakeRepo tag(String name, String commit) {
        if (!commits.containsKey(commit)) {
            throw new IllegalArgumentException("no commit " + commit + " in " + id);
        }
        tags.put(name, commit);
        return this;
    }

    /**
     * Makes the repo gated ("manual" approval): its files need a token of the authorized list.
     * The tokens become known to the hub.
     */
    public FakeRepo gated(String... tokensWithAccess) {
        gated = true;
        grant(tokensWithAccess);
        return this;
    }

    /** Makes the repo private: only these tokens (now known to the hub) see that it exists. */
    public FakeRepo privateRepo(String... tokensWithAccess) {
        isPrivate = true;
        grant(tokensWithAccess);
        return this;
    }

    private void grant(String... tokens) {
        Collections.addAll(readers, tokens);
        Collections.addAll(hubTokens, tokens);
    }

    /** "model" or "dataset". */
    public String type() {
        return type;
    }

    /** The repo id, e.g. "google-bert/bert-base-uncased". */
    public String id() {
        return id;
    }

    boolean isGated() {
        return gated;
    }

    boolean isPrivate() {
        return isPrivate;
    }

    boolean canRead(String token) {
        return token != null && readers.contains(token);
    }

    /** The commit a revision names: a branch, then a tag, then a full commit sha; null if none. */
    Commit resolve(String revision) {
        String sha = branches.get(revision);
        if (sha == null) {
            sha = tags.get(revision);
        }
        if (sha == null && revision.matches("[0-9a-fA-F]{40}")) {
            sha = revision.toLowerCase(Locale.ROOT);
        }
        return sha == null ? null : commits.get(sha);
    }

    /** Whether the Hub stores this file in LFS, by the fixed rule documented on the class. */
    public static boolean isLfs(String path, long size) {
        String lower = path.toLowerCase(Locale.ROOT);
        for (String suffix : LFS_SUFFIXES) {
            if (lower.endsWith(suffix)) {
                return true;
            }
        }
        return size > LFS_THRESHOLD;
    }

    /** The object id git gives a blob: sha1 of "blob {length}\0" followed by the bytes. */
    public static String gitBlobSha1(byte[] bytes) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
