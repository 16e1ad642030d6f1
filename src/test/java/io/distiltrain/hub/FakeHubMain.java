package io.distiltrain.hub;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link FakeHub#main}: the command line of a standalone fake hub. */
final class FakeHubMain {
    private FakeHubMain() {}

    /** See {@link FakeHub#main} for the arguments. */
    static void run(String[] args) throws Exception {
        Map<String, String> models = new TreeMap<>();
        Map<String, String> datasets = new TreeMap<>();
        Map<String, String> cuts = new TreeMap<>();
        Map<String, String> renamed = new TreeMap<>();
        List<String> known = new ArrayList<>();
        List<String> gated = new ArrayList<>();
        List<String> hidden = new ArrayList<>();
        int port = 0;
        int page = FakeHub.DEFAULT_TREE_PAGE;
        boolean cacheRedirects = false;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--model" -> putPair(models, value);
                case "--dataset" -> putPair(datasets, value);
                case "--port" -> port = Integer.parseInt(value);
                case "--token" -> known.add(value);
                case "--gated" -> gated.add(value);
                case "--private" -> hidden.add(value);
                case "--page" -> page = Integer.parseInt(value);
                case "--cut" -> putPair(cuts, value);
                case "--resolve-cache" -> {
                    cacheRedirects = true;
                    i--; // a flag, no value
                }
                case "--renamed" -> putPair(renamed, value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --model ID=DIR --dataset ID=DIR --port N --token T --gated ID --private ID --page N --cut SUFFIX=N --renamed OLD=ID --resolve-cache");
            }
            i++;
        }
        FakeHub fake = FakeHub.start(port).treePageSize(page).resolveCacheRedirects(cacheRedirects).knownTokens(known.toArray(String[]::new));
        models.forEach((id, dir) -> fake.model(id).commit("main", FakeHub.readTree(Path.of(dir))));
        datasets.forEach((id, dir) -> fake.dataset(id).commit("main", FakeHub.readTree(Path.of(dir))));
        cuts.forEach((suffix, after) -> fake.cutOnce(suffix, Long.parseLong(after)));
        fake.onRequest(r -> System.err.println(r.server() + " " + r.method() + " " + r.path() + " range=" + r.range()
                + " auth=" + r.authorization() + " -> " + r.status() + " (" + r.bodyBytes() + " bytes)"));
        renamed.forEach((old, id) -> fake.renamed(old.replaceFirst("^datasets/", ""), repoNamed(fake, id)));
        for (String id : gated) {
            repoNamed(fake, id).gated(known.toArray(String[]::new));
        }
        for (String id : hidden) {
            repoNamed(fake, id).privateRepo(known.toArray(String[]::new));
        }
        System.out.println(fake.endpoint());
        System.out.flush();
        Thread.currentThread().join(); // serve until killed
    }

    /** "datasets/org/x" names a dataset, anything else a model; it must have been created. */
    private static FakeRepo repoNamed(FakeHub fake, String id) {
        FakeRepo repo = id.startsWith("datasets/") ? fake.repo("dataset", id.substring(9), false)
                : fake.repo("model", id, false);
        if (repo == null) {
            throw new IllegalArgumentException("no repo " + id + " given before");
        }
        return repo;
    }

    private static void putPair(Map<String, String> into, String pair) {
        int eq = pair == null ? -1 : pair.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected ID=DIR, got " + pair);
        }
        into.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
}
