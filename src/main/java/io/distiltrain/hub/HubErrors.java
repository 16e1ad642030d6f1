package io.distiltrain.hub;

import io.distiltrain.UserError;
import java.net.http.HttpResponse;

/**
 * The Hub's refusals as one clear line each. The Hub says why in {@code X-Error-Code} and
 * {@code X-Error-Message}; a missing repository and a private one look the same (401 without a
 * token, 404 with one) on purpose, so the message names both.
 */
final class HubErrors {
    private HubErrors() {
    }

    /** The error for a response that is not a success or a redirect; {@code file} is null for repository-level calls. */
    static UserError of(HttpResponse<?> r, HubRepo repo, String file, HubSettings settings) {
        String code = r.headers().firstValue("X-Error-Code").orElse("");
        String message = r.headers().firstValue("X-Error-Message").orElse("");
        int status = r.statusCode();
        String page = settings.endpoint() + "/" + (repo.isDataset() ? "datasets/" : "") + repo.id();
        String kind = repo.isDataset() ? "dataset" : "model";
        if (code.equals("GatedRepo")) {
            return new UserError(status == 401 || !settings.hasToken()
                    ? repo.id() + " is a gated " + kind + ": accept its terms at " + page
                            + " and set HF_TOKEN to an access token of that account (or run 'hf auth login')"
                    : "the token in HF_TOKEN has no access to the gated " + kind + " " + repo.id()
                            + ": request access at " + page + " with the account the token belongs to");
        }
        if (message.startsWith("Invalid credentials") || message.startsWith("Invalid user token")) {
            return new UserError("the Hub refused the access token (HF_TOKEN, or the token file under HF_HOME) as"
                    + " invalid: make a new one at " + settings.endpoint() + "/settings/tokens");
        }
        if (code.equals("RevisionNotFound")) {
            return new UserError(repo.id() + " has no revision '" + repo.revision() + "' on the Hub: name a branch,"
                    + " tag or commit it has (see " + page + "/tree/main)");
        }
        if (code.equals("EntryNotFound")) {
            return new UserError(repo + " has no " + (file != null && file.endsWith("/") ? "folder" : "file") + " '"
                    + file + "' on the Hub; see " + page + "/tree/" + repo.revision());
        }
        if (code.equals("RepoNotFound") || status == 401 || status == 404) {
            return new UserError("the Hub has no " + kind + " '" + repo.id() + "'" + (settings.hasToken()
                    ? " that this token can see; check the id (" + page + ")"
                    : "; check the id (" + page + "), or, if it is private, set HF_TOKEN"));
        }
        if (status == 403) {
            return new UserError("the Hub refused access to " + repo.id() + " (403" + (message.isEmpty() ? "" : ": "
                    + message) + "); check that the token has read access");
        }
        return new UserError("the Hub answered " + status + (message.isEmpty() ? "" : " (" + message + ")")
                + " for " + repo + (file == null ? "" : " file " + file) + "; try again later");
    }
}
