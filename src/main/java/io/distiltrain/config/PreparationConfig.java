package io.distiltrain.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.distiltrain.UserError;
import io.distiltrain.WikipediaLanguages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A preparation config ({@code prepare-data --sources FILE.yaml}): the corpus sources of a
 * dataset, and optionally its tokenizer, output, split and threads. Relative paths are relative
 * to the file's folder, as in training configs.
 *
 * <pre>
 * tokenizer: ../teachers/bert-base-multilingual-cased
 * output: ../data/wikipedia-104
 * split: paragraphs            # or documents
 * sources:
 *   - kind: wikipedia
 *     path: ../downloads/{dbname}wiki-20231101-pages-articles-multistream.xml.bz2
 *     languages: mbert-104-languages.txt   # one source per listed language
 *   - kind: jsonl
 *     path: ../extra/*.jsonl.gz
 *     lang: en
 *     text_field: content
 * </pre>
 *
 * With {@code languages} (a file of codes, first word of each non-comment line, or a list), the
 * source is repeated per language with {@code {lang}} in its path replaced by the code (Chinese's
 * script variants zh-hans and zh-hant are one Wikipedia, zh) and {@code {dbname}} by the dump's
 * name for it (hyphens as underscores: zh-min-nan -> zh_min_nan); paths named twice are read once.
 *
 * @param tokenizer null when the command line names it
 * @param output null when the command line names it
 * @param paragraphs null when not set (one sequence a paragraph by default)
 * @param threads null when not set
 */
public record PreparationConfig(Path tokenizer, Path output, Boolean paragraphs, Integer threads,
                                List<Source> sources) {
    private static final Set<String> KEYS = Set.of("tokenizer", "output", "split", "threads", "sources");
    private static final Set<String> EMBEDDED_KEYS = Set.of("split", "threads", "sources");
    private static final Set<String> SOURCE_KEYS = Set.of("kind", "path", "lang", "text_field", "languages");

    /**
     * One source.
     *
     * @param path a file, folder or glob, resolved against the config's folder
     * @param lang the language tag of documents that carry none, or null
     * @param textField the JSONL / Parquet field holding the text, or null for the default
     */
    public record Source(String kind, String path, String lang, String textField) {
    }

    public PreparationConfig {
        sources = List.copyOf(sources);
    }

    /** Reads and checks {@code yaml}; every problem names the file and the key. */
    public static PreparationConfig load(Path yaml) {
        JsonNode root = ConfigLoader.readYaml(yaml);
        return of(root, yaml.toAbsolutePath().getParent(), yaml + ": ", KEYS);
    }

    /**
     * A training config's {@code data.preparation}: the same keys less tokenizer and output, which
     * are the teacher's and data.dataset.
     */
    static PreparationConfig inTrainingConfig(JsonNode node, Path base, String key) {
        return of(node, base, key + ".", EMBEDDED_KEYS);
    }

    private static PreparationConfig of(JsonNode root, Path base, String where, Set<String> keys) {
        if (root == null || !root.isObject()) {
            throw error(where, "", "must be a mapping with a 'sources' list");
        }
        unknownKeys(where, root, keys, "");
        JsonNode list = root.get("sources");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw error(where, "sources", "must be a list of sources, each with a kind and a path");
        }
        List<Source> sources = new ArrayList<>();
        Set<String> paths = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            for (Source s : sources(where, base, list.get(i), "sources[" + i + "]")) {
                if (paths.add(s.kind() + ":" + s.path())) {
                    sources.add(s);
                }
            }
        }
        String split = text(where, root, "split", "");
        if (split != null && !split.equals("paragraphs") && !split.equals("documents")) {
            throw error(where, "split", "must be 'paragraphs' or 'documents', got '" + split + "'");
        }
        JsonNode threads = root.get("threads");
        if (threads != null && (!threads.canConvertToInt() || threads.asInt() < 1)) {
            throw error(where, "threads", "must be a whole number of at least 1");
        }
        String tokenizer = text(where, root, "tokenizer", "");
        String output = text(where, root, "output", "");
        return new PreparationConfig(tokenizer == null ? null : base.resolve(tokenizer).normalize(),
                output == null ? null : base.resolve(output).normalize(),
                split == null ? null : split.equals("paragraphs"), threads == null ? null : threads.asInt(), sources);
    }

    /** The config as a tree, for a dry run's echo of the resolved config. */
    com.fasterxml.jackson.databind.node.ObjectNode toTree() {
        var n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (paragraphs != null) {
            n.put("split", paragraphs ? "paragraphs" : "documents");
        }
        if (threads != null) {
            n.put("threads", threads);
        }
        var list = n.putArray("sources");
        for (Source s : sources) {
            var o = list.addObject().put("kind", s.kind()).put("path", s.path());
            if (s.lang() != null) {
                o.put("lang", s.lang());
            }
            if (s.textField() != null) {
                o.put("text_field", s.textField());
            }
        }
        return n;
    }

    private static List<Source> sources(String yaml, Path base, JsonNode node, String at) {
        if (!node.isObject()) {
            throw error(yaml, at, "must be a mapping with a kind and a path");
        }
        unknownKeys(yaml, node, SOURCE_KEYS, at + ".");
        String kind = text(yaml, node, "kind", at + ".");
        String path = text(yaml, node, "path", at + ".");
        if (kind == null || path == null) {
            throw error(yaml, at, "needs both 'kind' (wikipedia, jsonl, parquet, openwebtext, bookcorpus, text) and "
                    + "'path'");
        }
        String lang = text(yaml, node, "lang", at + ".");
        String field = text(yaml, node, "text_field", at + ".");
        JsonNode languages = node.get("languages");
        if (languages == null) {
            if (path.contains("{lang}") || path.contains("{dbname}")) {
                throw error(yaml, at + ".path", "has {lang} or {dbname} but the source lists no 'languages'");
            }
            return List.of(new Source(kind, resolve(base, path), lang, field));
        }
        if (!path.contains("{lang}") && !path.contains("{dbname}")) {
            throw error(yaml, at + ".path", "must contain {lang} or {dbname}, which each listed language replaces");
        }
        List<Source> out = new ArrayList<>();
        for (String code : languages(yaml, base, languages, at + ".languages")) {
            String wiki = WikipediaLanguages.wikipedia(code);
            String p = path.replace("{lang}", wiki).replace("{dbname}", WikipediaLanguages.dbname(code));
            out.add(new Source(kind, resolve(base, p), wiki, field));
        }
        return out;
    }

    /** A local path against the config's folder; Hub files ({@code hf://datasets/...}) as written. */
    private static String resolve(Path base, String path) {
        return io.distiltrain.hub.HubPaths.isHubFiles(path) ? path : base.resolve(path).toString();
    }

    /** A list of codes, or a file of them: the first word of each line that is not blank or a # comment. */
    private static List<String> languages(String yaml, Path base, JsonNode node, String at) {
        List<String> codes = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> codes.add(n.asText().trim()));
        } else if (node.isTextual()) {
            Path file = base.resolve(node.asText());
            try {
                codes.addAll(WikipediaLanguages.listedIn(file));
            } catch (IOException e) {
                throw error(yaml, at, "names " + file + ", which cannot be read (" + e.getMessage() + ")");
            }
        }
        if (codes.isEmpty() || codes.stream().anyMatch(c -> !c.matches("[a-z][a-z0-9-]*"))) {
            throw error(yaml, at, "must be a list of language codes (or a file of them, one a line), such as [de, fr]");
        }
        return codes;
    }

    private static String text(String yaml, JsonNode node, String key, String at) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw error(yaml, at + key, "must be a non-empty string");
        }
        return v.asText();
    }

    private static void unknownKeys(String yaml, JsonNode node, Set<String> known, String at) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw error(yaml, at + k, "is not a key of a preparation config; the keys are "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private static UserError error(String where, String key, String problem) {
        return new UserError(where + key + (key.isEmpty() ? "" : " ") + problem);
    }
}
