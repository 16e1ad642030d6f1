package io.distiltrain.hub;

import io.distiltrain.UserError;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A repository on the Hub and the revision wanted: {@code google-bert/bert-base-uncased},
 * {@code FacebookAI/roberta-base@v1.0}, {@code datasets/wikimedia/wikipedia@main}.
 *
 * @param type     a model or a dataset repository
 * @param id       {@code org/name}
 * @param revision a branch, tag or 40-hex commit; {@code main} when not given
 */
public record HubRepo(Type type, String id, String revision) {
    /** The default branch of every Hub repository. */
    public static final String MAIN = "main";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    /** The two kinds of repository the product reads; the Hub's own words for their URLs and cache folders. */
    public enum Type {
        MODEL("models", ""), DATASET("datasets", "datasets/");

        private final String plural;
        private final String urlPrefix;

        Type(String plural, String urlPrefix) {
            this.plural = plural;
            this.urlPrefix = urlPrefix;
        }
    }

    public HubRepo {
        if (!isRepoId(id)) {
            throw new IllegalArgumentException("not a Hub repository id: " + id);
        }
        if (revision == null || revision.isBlank()) {
            revision = MAIN;
        }
    }

    /**
     * Parses {@code org/name[@revision]} (a model) or {@code datasets/org/name[@revision]}; an
     * {@code hf://} prefix is allowed.
     *
     * @throws UserError naming {@code what} when {@code ref} is not such a reference
     */
    public static HubRepo parse(String ref, String what) {
        String s = ref.startsWith("hf://") ? ref.substring(5) : ref;
        Type type = Type.MODEL;
        if (s.startsWith("datasets/")) {
            type = Type.DATASET;
            s = s.substring("datasets/".length());
        }
        String revision = MAIN;
        int at = s.indexOf('@');
        if (at >= 0) {
            revision = s.substring(at + 1);
            s = s.substring(0, at);
        }
        if (!isRepoId(s) || revision.isBlank()) {
            throw new UserError(what + " '" + ref + "' is not a Hub repository: write org/name, optionally @revision"
                    + " (a branch, tag or commit), or datasets/org/name for a dataset");
        }
        return new HubRepo(type, s, revision);
    }

    /** Whether {@code s} has the shape of a Hub id, {@code org/name}. */
    public static boolean isRepoId(String s) {
        if (s == null) {
            return false;
        }
        int slash = s.indexOf('/');
        return slash > 0 && slash == s.lastIndexOf('/') && NAME.matcher(s.substring(0, slash)).matches()
                && NAME.matcher(s.substring(slash + 1)).matches() && !s.contains("..");
    }

    /** Whether the revision is a full commit hash, which never moves. */
    public boolean pinned() {
        return COMMIT.matcher(revision).matches();
    }

    /** The same repository at another revision. */
    public HubRepo at(String rev) {
        return new HubRepo(type, id, rev);
    }

    public boolean isDataset() {
        return type == Type.DATASET;
    }

    /** The cache folder's name, as huggingface_hub names it: {@code models--org--name}. */
    public String cacheFolderName() {
        return type.plural + "--" + id.replace("/", "--");
    }

    /** {@code /api/models/org/name}: the prefix of the Hub's JSON API for this repository. */
    String apiPath() {
        return "/api/" + type.plural + "/" + id;
    }

    /** {@code /org/name/resolve/REV/} or {@code /datasets/org/name/resolve/REV/}: where files are fetched. */
    String resolvePath(String rev) {
        return "/" + type.urlPrefix + id + "/resolve/" + encode(rev) + "/";
    }

    /** How a user writes this reference, and how {@code download} takes it. */
    @Override
    public String toString() {
        return type.urlPrefix + id + (MAIN.equals(revision) ? "" : "@" + revision);
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A repository path with each segment encoded and the slashes kept. */
    static String encodePath(String path) {
        StringBuilder b = new StringBuilder();
        for (String part : path.split("/", -1)) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(encode(part));
        }
        return b.toString();
    }
}
