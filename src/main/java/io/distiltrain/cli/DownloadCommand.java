package io.distiltrain.cli;

import io.distiltrain.hub.FileChoice;
import io.distiltrain.hub.HubFetch;
import io.distiltrain.hub.HubRepo;
import io.distiltrain.hub.HubSettings;
import io.distiltrain.hub.Snapshot;
import io.distiltrain.metrics.ProgressBar;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Fetch a model or dataset files from the Hugging Face Hub into its cache, ahead of time.",
            "For a machine whose GPUs have no network: download here, then copy the cache folder (HF_HUB_CACHE, "
                    + "default ~/.cache/huggingface/hub) or share it, and run there with HF_HUB_OFFLINE=1.",
            "A model gets what a model folder needs: config.json, its safetensors weights and the tokenizer's "
                    + "files (never pytorch_model.bin or TF/Flax weights). Files already cached are checked against "
                    + "their hash and not fetched again; an interrupted download resumes.",
            "Environment: HF_ENDPOINT (the Hub's URL), HF_HUB_CACHE / HF_HOME (the cache), HF_TOKEN (or the "
                    + "token file 'hf auth login' writes) for gated or private repositories, HF_HUB_OFFLINE=1 to "
                    + "use the cache only.",
            "Prints the snapshot folder last: 'snapshot: PATH', usable wherever a model folder is."})
final class DownloadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID",
            description = "org/name for a model, datasets/org/name for a dataset; @revision may follow.")
    String id;

    @Option(names = "--revision", paramLabel = "R", description = "A branch, tag or commit. Default: main.")
    String revision;

    @Option(names = "--include", paramLabel = "PATTERN",
            description = "Only files matching this pattern (repeatable; * also matches '/'), e.g. "
                    + "'20231101.fr/*.parquet'. Default: a model's own files, or every file of a dataset.")
    List<String> include = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HubRepo repo = HubRepo.parse(id, "ID");
        if (revision != null) {
            repo = repo.at(revision);
        }
        FileChoice choice = include.isEmpty() && !repo.isDataset() ? FileChoice.model() : FileChoice.matching(include);
        HubFetch fetch = new HubFetch(HubSettings.fromEnvironment(), err, ProgressBar.Settings.detect());
        Snapshot s = fetch.fetch(repo, choice);
        out.printf("%s at %s: %d files, %s%s%n", repo, s.commit(), s.files().size(), megabytes(s.bytes()),
                s.fetched() == 0 ? ", all from the cache" : ", " + megabytes(s.fetched()) + " fetched");
        out.println("snapshot: " + s.folder());
        out.flush();
        return 0;
    }

    static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
