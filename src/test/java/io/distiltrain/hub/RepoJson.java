package io.distiltrain.hub;

import io.distiltrain.hub.FakeRepo.Blob;
import io.distiltrain.hub.FakeRepo.Commit;
import java.util.Map;

/** The JSON bodies of the repo API, written by hand so that the fake needs nothing but the JDK. */
final class RepoJson {
    /** The fake's repos all date from this instant; the real Hub gives the last commit's date. */
    static final String LAST_MODIFIED = "2024-01-01T00:00:00.000Z";

    private RepoJson() {}

    /**
     * {@code GET /api/models/{id}/revision/{rev}}: the fields huggingface_hub's ModelInfo and
     * DatasetInfo read. With {@code blobs=true} (files_metadata) siblings carry size, blobId, lfs.
     */
    static String info(FakeRepo repo, Commit commit, String rawQuery) {
        boolean blobs = rawQuery != null && rawQuery.matches("(.*&)?blobs=(?i:true|1)(&.*)?");
        StringBuilder json = new StringBuilder(256);
        String slash = repo.id().contains("/") ? repo.id().substring(0, repo.id().indexOf('/')) : null;
        json.append("{\"_id\":").append(HubHttp.quote(FakeRepo.hex("SHA-1", (repo.type() + repo.id()).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).substring(0, 24)));
        json.append(",\"id\":").append(HubHttp.quote(repo.id()));
        if (slash != null) {
            json.append(",\"author\":").append(HubHttp.quote(slash));
        }
        json.append(",\"sha\":").append(HubHttp.quote(commit.sha()));
        json.append(",\"private\":").append(repo.isPrivate());
        json.append(",\"gated\":").append(repo.isGated() ? "\"manual\"" : "false");
        json.append(",\"disabled\":false,\"downloads\":0,\"likes\":0,\"tags\":[]");
        json.append(",\"createdAt\":\"").append(LAST_MODIFIED).append("\",\"lastModified\":\"")
                .append(LAST_MODIFIED).append('"');
        json.append(",\"siblings\":[");
        boolean first = true;
        for (Map.Entry<String, Blob> file : commit.files().entrySet()) {
            json.append(first ? "" : ",").append("{\"rfilename\":").append(HubHttp.quote(file.getKey()));
            if (blobs) {
                Blob blob = file.getValue();
                json.append(",\"blobId\":\"").append(blob.gitSha1()).append("\",\"size\":").append(blob.bytes().length);
                if (blob.lfs()) {
                    // repo info names the hash "sha256" where the tree listing names it "oid"
                    json.append(",\"lfs\":{\"sha256\":\"").append(blob.sha256()).append("\",\"size\":")
                            .append(blob.bytes().length).append(",\"pointerSize\":").append(blob.pointer().length)
                            .append('}');
                }
            }
            json.append('}');
            first = false;
        }
        return json.append("]}").toString();
    }

    /** {"oid": sha256, "size": n, "pointerSize": length of the LFS pointer file}. */
    static String lfs(Blob blob) {
        return "{\"oid\":\"" + blob.sha256() + "\",\"size\":" + blob.bytes().length + ",\"pointerSize\":"
                + blob.pointer().length + "}";
    }

    /** One entry of a tree listing. */
    static String file(String path, Blob blob) {
        return "{\"type\":\"file\",\"oid\":\"" + blob.gitSha1() + "\",\"size\":" + blob.bytes().length
                + (blob.lfs() ? ",\"lfs\":" + lfs(blob) : "") + ",\"path\":" + HubHttp.quote(path) + "}";
    }

    static String directory(String path, String oid) {
        return "{\"type\":\"directory\",\"oid\":\"" + oid + "\",\"size\":0,\"path\":" + HubHttp.quote(path) + "}";
    }
}
