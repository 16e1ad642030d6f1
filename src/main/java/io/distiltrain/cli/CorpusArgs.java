package io.distiltrain.cli;

import io.distiltrain.corpus.CorpusSources;
import io.distiltrain.corpus.JsonlReader;
import io.distiltrain.corpus.ParquetReader;
import io.distiltrain.corpus.wikipedia.WikipediaDumps;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** How corpus sources are named on the command line, shared by corpus extract and prepare-data. */
final class CorpusArgs {
    private CorpusArgs() {
    }

    /**
     * Every kind, Wikipedia dumps included, with the command's language, text field (JSONL field,
     * Parquet column) and threads.
     */
    static CorpusSources kinds(String lang, String textField, int threads) {
        JsonlReader.Fields fields = JsonlReader.Fields.withText(textField);
        return CorpusSources.standard(fields)
                .register("wikipedia", (p, pr) -> WikipediaDumps.open(p, lang, pr, threads))
                // Hugging Face's wikimedia/wikipedia files carry no language column: --lang names it,
                // or else the <snapshot>.<code> folder each language's files are in.
                .register("parquet", (p, pr) -> new ParquetReader(p, pr, fields,
                        lang != null ? lang : ParquetReader.hubWikipediaLanguage(p).orElse(null)))
                // A Wikipedia dump spreads over threads itself (streams, cleaning); these read on one.
                .readingFilesAtOnce(threads, "jsonl", "parquet", "text", "openwebtext", "bookcorpus");
    }

    /** Whether an argument names its kind with a prefix ("wikipedia:dump.xml.bz2"). */
    static boolean hasKind(String arg) {
        int colon = arg.indexOf(':');
        return colon > 0 && SourceSpec.KINDS.contains(arg.substring(0, colon));
    }

    /** A SOURCE argument: an explicit "kind:" prefix, or a kind guessed from the name. */
    record SourceSpec(String kind, String path) {
        private static final List<String> KINDS = List.of("wikipedia", "openwebtext", "bookcorpus", "jsonl", "parquet",
                "text");

        static SourceSpec parse(String arg) {
            int colon = arg.indexOf(':');
            if (colon > 0 && KINDS.contains(arg.substring(0, colon))) {
                return new SourceSpec(arg.substring(0, colon), arg.substring(colon + 1));
            }
            return new SourceSpec(guess(arg), arg);
        }

        static String guess(String path) {
            String name = Path.of(path).getFileName() == null ? path
                    : Path.of(path).getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".xml") || name.endsWith(".xml.bz2") || name.contains("pages-articles")) {
                return "wikipedia";
            }
            if (name.startsWith("openwebtext") || name.startsWith("urlsf_subset")) {
                return "openwebtext";
            }
            if (name.endsWith(".parquet")) {
                return "parquet";
            }
            if (name.matches(".*\\.jsonl(\\.(gz|bz2|xz|zst))?") || name.matches(".*\\.json\\.(gz|bz2|xz|zst)")) {
                return "jsonl";
            }
            if (java.nio.file.Files.isDirectory(Path.of(path)) || name.matches(".*\\.(tar|tgz|tar\\.(gz|bz2|xz|zst))")) {
                return "bookcorpus";
            }
            return "text";
        }
    }
}
