package io.distiltrain.export;

import io.distiltrain.hub.HubPaths;
import io.distiltrain.hub.HubRepo;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hub ids a card can name, for {@code base_model} and {@code datasets}: only ids that were
 * really read from the Hub, never a guess from a folder's name.
 */
public final class HubIds {
    /**
     * A file fetched from the Hub lies in the cache under {@code datasets--org--name/snapshots/...}
     * (huggingface_hub's layout); a manifest records that path, so the dataset's id can be read
     * back from it when the data was prepared by a separate {@code prepare-data}.
     */
    private static final Pattern CACHED_DATASET = Pattern.compile("datasets--(.+?)--([^/\\\\]+)[/\\\\]snapshots[/\\\\]");

    private HubIds() {
    }

    /**
     * The model id in a config.json's {@code _name_or_path} (what transformers was given when it
     * saved the folder), when it has the shape {@code org/name}; null for a local path or nothing.
     */
    public static String model(String nameOrPath) {
        return nameOrPath != null && HubRepo.isRepoId(nameOrPath) ? nameOrPath : null;
    }

    /**
     * Dataset ids, in first-seen order: of the corpus paths written as {@code hf://datasets/org/name/...}
     * (a preparation config's), then of the source files that lie in the Hub cache (a manifest's).
     */
    public static List<String> datasets(List<String> corpusPaths, List<String> sourceFiles) {
        Set<String> ids = new LinkedHashSet<>();
        for (String p : corpusPaths) {
            if (p != null && HubPaths.isHubFiles(p)) {
                ids.add(HubPaths.files(p).repo().id());
            }
        }
        for (String f : sourceFiles) {
            Matcher cached = CACHED_DATASET.matcher(f);
            if (cached.find() && HubRepo.isRepoId(cached.group(1) + "/" + cached.group(2))) {
                ids.add(cached.group(1) + "/" + cached.group(2));
            }
        }
        return List.copyOf(ids);
    }
}
