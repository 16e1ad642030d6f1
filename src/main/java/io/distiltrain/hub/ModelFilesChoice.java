package io.distiltrain.hub;

import io.distiltrain.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The files a model folder needs, at the repository's root: config.json, the safetensors weights
 * (one file, or the index and its shards) and the tokenizer's files. Never pytorch_model.bin,
 * TF or Flax weights, ONNX or Core ML exports: a BERT repository holds several copies of its
 * weights and the product reads one.
 */
final class ModelFilesChoice implements FileChoice {
    private static final Set<String> TOKENIZER = Set.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json", "vocab.txt", "vocab.json", "merges.txt");
    private static final Pattern SHARD = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");
    private static final Pattern PYTORCH = Pattern.compile("pytorch_model.*\\.bin");

    @Override
    public List<RemoteFile> choose(HubRepo repo, List<RemoteFile> all) {
        List<RemoteFile> root = all.stream().filter(RemoteFile::atRoot).toList();
        if (root.stream().noneMatch(f -> f.name().equals("config.json"))) {
            throw new UserError(repo + " has no config.json at its root: it is not a transformers model"
                    + " (see its files on the Hub)");
        }
        boolean single = root.stream().anyMatch(f -> f.name().equals("model.safetensors"));
        boolean sharded = root.stream().anyMatch(f -> f.name().equals("model.safetensors.index.json"));
        if (!single && !sharded) {
            boolean pytorch = root.stream().anyMatch(f -> PYTORCH.matcher(f.name()).matches());
            throw new UserError(repo + (pytorch ? " has only pytorch_model.bin weights; distil-train reads"
                    + " safetensors. Convert it with transformers (from_pretrained, then save_pretrained with"
                    + " safe_serialization=True) into a local folder and name that folder, or use the repository's"
                    + " refs/pr/N revision where the Hub's conversion bot added model.safetensors"
                    : " has no model.safetensors (nor model.safetensors.index.json) at its root; distil-train"
                    + " reads safetensors weights"));
        }
        List<RemoteFile> out = new ArrayList<>();
        for (RemoteFile f : root) {
            String n = f.name();
            boolean weights = single ? n.equals("model.safetensors")
                    : n.equals("model.safetensors.index.json") || SHARD.matcher(n).matches();
            if (n.equals("config.json") || weights || TOKENIZER.contains(n)) {
                out.add(f);
            }
        }
        return out;
    }
}
