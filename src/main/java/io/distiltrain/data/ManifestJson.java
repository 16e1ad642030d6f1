package io.distiltrain.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import io.distiltrain.data.PreparedManifest.ShardFile;
import io.distiltrain.data.PreparedManifest.SourceFile;
import io.distiltrain.data.PreparedManifest.StoredFile;
import io.distiltrain.data.PreparedManifest.TokenizerIdentity;
import io.distiltrain.tokenizer.SpecialTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * manifest.json to and from {@link PreparedManifest}. Field by field rather than by data binding,
 * so the file keeps its documented snake_case names whatever the records are called, and so that
 * every missing or wrong field is reported by name.
 */
final class ManifestJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestJson() {
    }

    static String write(PreparedManifest m) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", PreparedManifest.FORMAT);
        root.put("format_version", PreparedManifest.VERSION);
        root.put("created_by", m.createdBy());
        root.set("tokenizer", tokenizer(m.tokenizer()));
        root.put("id_width", m.idWidth().jsonName());
        root.put("sequences", m.sequences());
        root.put("tokens", m.tokens());
        m.unknownTokens().ifPresent(n -> root.put("unknown_tokens", n));
        ArrayNode sources = root.putArray("sources");
        for (SourceFile s : m.sources()) {
            ObjectNode entry = sources.addObject().put("path", s.path()).put("bytes", s.bytes())
                    .put("sha256", s.sha256()).put("compression", s.compression()).put("lines", s.lines())
                    .put("sequences", s.sequences()).put("complete", s.complete());
            if (s.corpus() != null) {
                ObjectNode c = entry.putObject("corpus").put("kind", s.corpus().kind())
                        .put("documents_read", s.corpus().documentsRead())
                        .put("documents_kept", s.corpus().documentsKept());
                ObjectNode skipped = c.putObject("skipped");
                s.corpus().skipped().forEach(skipped::put);
                s.corpus().tokens().ifPresent(n -> c.put("tokens", n));
            }
        }
        ArrayNode shards = root.putArray("shards");
        for (ShardFile s : m.shards()) {
            shards.addObject().put("file", s.file()).put("sequences", s.sequences()).put("tokens", s.tokens())
                    .put("bytes", s.bytes()).put("sha256", s.sha256());
        }
        if (!m.languages().isEmpty()) {
            ObjectNode languages = root.putObject("languages");
            m.languages().forEach((lang, c) -> {
                ObjectNode entry = languages.putObject(lang).put("sequences", c.sequences()).put("tokens", c.tokens());
                if (!c.ranges().isEmpty()) {
                    ArrayNode ranges = entry.putArray("ranges");
                    c.ranges().forEach(range -> ranges.addArray().add(range.first()).add(range.count()));
                }
            });
        }
        root.set("token_counts", stored(m.tokenCounts()));
        ObjectNode options = root.putObject("options");
        options.put("shard_tokens", m.options().shardTokens());
        if (m.options().limited()) {
            options.put("max_lines", m.options().maxLines());
        } else {
            options.putNull("max_lines");
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serializes", e);
        }
    }

    private static ObjectNode tokenizer(TokenizerIdentity t) {
        ObjectNode node = JSON.createObjectNode();
        node.put("description", t.description());
        node.put("vocab_size", t.vocabSize());
        ObjectNode specials = node.putObject("special_tokens");
        SpecialTokens s = t.specialTokens();
        special(specials, "cls", s.cls(), s.clsId());
        special(specials, "sep", s.sep(), s.sepId());
        special(specials, "pad", s.pad(), s.padId());
        special(specials, "unk", s.unk(), s.unkId());
        special(specials, "mask", s.mask(), s.maskId());
        ArrayNode files = node.putArray("files");
        t.files().forEach(f -> files.add(stored(f)));
        node.put("sha256", t.sha256());
        return node;
    }

    private static void special(ObjectNode parent, String role, String token, long id) {
        parent.putObject(role).put("token", token).put("id", id);
    }

    private static ObjectNode stored(StoredFile f) {
        ObjectNode node = JSON.createObjectNode();
        node.put("file", f.name()).put("bytes", f.bytes()).put("sha256", f.sha256());
        return node;
    }

    static PreparedManifest read(Path file) {
        JsonNode root = parse(file);
        Reader r = new Reader(file);
        if (root == null || !root.isObject() || !PreparedManifest.FORMAT.equals(root.path("format").asText(null))) {
            throw new UserError(file + ": not a distil-train prepared-dataset manifest (\"format\" is not \""
                    + PreparedManifest.FORMAT + "\"); point at a folder written by distil-train's data preparation");
        }
        PreparedManifest.VERSIONS.check(file, r.number(root, "format_version"));
        IdWidth width = IdWidth.fromJsonName(r.text(root, "id_width"));
        if (width == null) {
            throw r.damaged("id_width", "is not uint16 or int32");
        }
        List<SourceFile> sources = new ArrayList<>();
        for (JsonNode s : r.array(root, "sources")) {
            sources.add(new SourceFile(r.text(s, "path"), r.number(s, "bytes"), r.text(s, "sha256"),
                    r.text(s, "compression"), r.number(s, "lines"), r.number(s, "sequences"), r.bool(s, "complete"),
                    s.has("corpus") ? corpusCounts(r, r.object(s, "corpus")) : null));
        }
        List<ShardFile> shards = new ArrayList<>();
        for (JsonNode s : r.array(root, "shards")) {
            shards.add(new ShardFile(r.fileName(s, "file"), r.number(s, "sequences"), r.number(s, "tokens"),
                    r.number(s, "bytes"), r.text(s, "sha256")));
        }
        JsonNode options = r.object(root, "options");
        JsonNode maxLines = options.get("max_lines");
        PrepareOptions opts = new PrepareOptions(r.number(options, "shard_tokens"),
                maxLines == null || maxLines.isNull() ? Long.MAX_VALUE : r.number(options, "max_lines"));
        long tokens = r.number(root, "tokens");
        return new PreparedManifest(r.text(root, "created_by"), readTokenizer(r, r.object(root, "tokenizer")), width,
                r.number(root, "sequences"), tokens, unknownTokens(r, root, tokens), sources, shards,
                readStored(r, r.object(root, "token_counts")), opts, languages(r, root));
    }

    /** Optional (corpus sources only): a source's document counts. */
    private static PreparedManifest.CorpusCounts corpusCounts(Reader r, JsonNode c) {
        java.util.Map<String, Long> skipped = new java.util.TreeMap<>();
        JsonNode s = r.object(c, "skipped");
        for (var it = s.fieldNames(); it.hasNext(); ) {
            String reason = it.next();
            skipped.put(reason, r.number(s, reason));
        }
        return new PreparedManifest.CorpusCounts(r.text(c, "kind"), r.number(c, "documents_read"),
                r.number(c, "documents_kept"), skipped,
                c.has("tokens") ? OptionalLong.of(r.number(c, "tokens")) : OptionalLong.empty());
    }

    /** Optional (tagged corpus sources only): sequences and tokens per language. */
    private static java.util.Map<String, PreparedManifest.LanguageCount> languages(Reader r, JsonNode root) {
        java.util.Map<String, PreparedManifest.LanguageCount> out = new java.util.TreeMap<>();
        if (!root.has("languages")) {
            return out;
        }
        JsonNode languages = r.object(root, "languages");
        for (var it = languages.fieldNames(); it.hasNext(); ) {
            String lang = it.next();
            JsonNode l = r.object(languages, lang);
            long sequences = r.number(l, "sequences");
            List<PreparedManifest.SequenceRange> ranges = l.has("ranges") ? ranges(r, l, lang, sequences) : List.of();
            out.put(lang, new PreparedManifest.LanguageCount(sequences, r.number(l, "tokens"), ranges));
        }
        return out;
    }

    /** A language's [first, count] runs: in order, not overlapping, summing to its sequences. */
    private static List<PreparedManifest.SequenceRange> ranges(Reader r, JsonNode language, String lang,
                                                               long sequences) {
        List<PreparedManifest.SequenceRange> out = new ArrayList<>();
        long sum = 0;
        long end = 0;
        for (JsonNode pair : r.array(language, "ranges")) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).canConvertToLong() || !pair.get(1).canConvertToLong()
                    || pair.get(0).asLong() < end || pair.get(1).asLong() < 1) {
                throw r.damaged("languages." + lang + ".ranges", "is not a list of increasing [first, count] pairs");
            }
            out.add(new PreparedManifest.SequenceRange(pair.get(0).asLong(), pair.get(1).asLong()));
            end = out.get(out.size() - 1).end();
            sum += pair.get(1).asLong();
        }
        if (sum != sequences) {
            throw r.damaged("languages." + lang + ".ranges", "hold " + sum + " sequences, not " + sequences);
        }
        return out;
    }

    /** Optional: manifests written before the count was recorded have none (docs/data-format.md). */
    private static OptionalLong unknownTokens(Reader r, JsonNode root, long tokens) {
        if (!root.has("unknown_tokens")) {
            return OptionalLong.empty();
        }
        long unknown = r.number(root, "unknown_tokens");
        if (unknown > tokens) {
            throw r.damaged("unknown_tokens", "is more than \"tokens\"");
        }
        return OptionalLong.of(unknown);
    }

    /**
     * The file's one JSON value (null for an empty file). Anything but whitespace after it (a
     * second object, text appended by hand or by a botched copy) is damage, not something to
     * ignore: the part that was read may not be the manifest that was written.
     */
    private static JsonNode parse(Path file) {
        try (JsonParser parser = JSON.createParser(Files.readAllBytes(file))) {
            JsonNode root = JSON.readTree(parser);
            long end = parser.currentLocation().getByteOffset();
            if (root != null && nextToken(parser) != null) {
                throw new UserError(file + ": unexpected data after the JSON object's end (byte " + end
                        + "); the manifest is damaged, prepare the dataset again");
            }
            return root;
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": not found; point at a folder written by distil-train's data preparation");
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new UserError(file + ": not readable JSON (" + why + "); prepare the dataset again");
        }
    }

    /** The token after the value; text that is not JSON at all counts as one too. */
    private static JsonToken nextToken(JsonParser parser) {
        try {
            return parser.nextToken();
        } catch (IOException e) {
            return JsonToken.NOT_AVAILABLE;
        }
    }

    private static TokenizerIdentity readTokenizer(Reader r, JsonNode t) {
        JsonNode s = r.object(t, "special_tokens");
        JsonNode cls = r.object(s, "cls");
        JsonNode sep = r.object(s, "sep");
        JsonNode pad = r.object(s, "pad");
        JsonNode unk = r.object(s, "unk");
        JsonNode mask = r.object(s, "mask");
        SpecialTokens specials = new SpecialTokens(r.text(cls, "token"), r.number(cls, "id"),
                r.text(sep, "token"), r.number(sep, "id"), r.text(pad, "token"), r.number(pad, "id"),
                r.text(unk, "token"), r.number(unk, "id"), r.text(mask, "token"), r.number(mask, "id"));
        List<StoredFile> files = new ArrayList<>();
        for (JsonNode f : r.array(t, "files")) {
            files.add(readStored(r, f));
        }
        long vocab = r.number(t, "vocab_size");
        if (vocab < 1 || vocab > Integer.MAX_VALUE) {
            throw r.damaged("vocab_size", "is out of range");
        }
        return new TokenizerIdentity(r.text(t, "description"), (int) vocab, specials, files, r.text(t, "sha256"));
    }

    private static StoredFile readStored(Reader r, JsonNode f) {
        return new StoredFile(r.fileName(f, "file"), r.number(f, "bytes"), r.text(f, "sha256"));
    }

    /** Field access that names the manifest and the field in every complaint. */
    private record Reader(Path file) {
        UserError damaged(String field, String problem) {
            return new UserError(file + ": field \"" + field + "\" " + problem
                    + "; the manifest is damaged, prepare the dataset again");
        }

        JsonNode object(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isObject()) {
                throw damaged(field, "is missing or not an object");
            }
            return n;
        }

        Iterable<JsonNode> array(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isArray()) {
                throw damaged(field, "is missing or not a list");
            }
            return n;
        }

        String text(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isTextual()) {
                throw damaged(field, "is missing or not a string");
            }
            return n.asText();
        }

        long number(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
                throw damaged(field, "is missing or not a non-negative whole number");
            }
            return n.asLong();
        }

        boolean bool(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isBoolean()) {
                throw damaged(field, "is missing or not true/false");
            }
            return n.asBoolean();
        }

        /** A file of the dataset folder: a plain name, so a manifest cannot point outside it. */
        String fileName(JsonNode parent, String field) {
            String name = text(parent, field);
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw damaged(field, "is not a plain file name (\"" + name + "\")");
            }
            return name;
        }
    }
}
