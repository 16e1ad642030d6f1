package io.distiltrain.corpus.wikipedia;

import io.distiltrain.corpus.DocumentReader;
import io.distiltrain.corpus.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a dump with the right reader: a multistream dump is read in parallel, from the index that
 * lies next to it as Wikimedia publishes the two or, without one, from its streams found by
 * scanning the file; anything else is decompressed and parsed in order, and cleaned on the threads.
 */
public final class WikipediaDumps {
    /** "enwiki-20261101-pages-articles-multistream.xml.bz2" and the split "...-multistream3.xml-p1p41242.bz2". */
    private static final Pattern MULTISTREAM = Pattern.compile("(.*-multistream)(\\d*)\\.xml(-p\\d+p\\d+)?\\.bz2");

    /** How far into a .bz2 dump without an index to look for a second stream before reading it as one. */
    static final long PROBE_BYTES = 32L << 20;

    private WikipediaDumps() {
    }

    /**
     * @param threads streams decompressed at once; 1 always reads sequentially
     */
    public static DocumentReader open(Path dump, String lang, Problems problems, int threads) throws IOException {
        Optional<Path> index = threads > 1 ? indexOf(dump).filter(Files::isRegularFile) : Optional.empty();
        if (index.isPresent()) {
            return new MultistreamDumpReader(dump, index.get(), lang, problems, threads);
        }
        if (threads > 1 && dump.getFileName().toString().endsWith(".bz2")) {
            // No index beside it: a multistream dump's streams are found by their first bytes.
            long[] offsets = MultistreamIndex.scan(dump, PROBE_BYTES);
            if (offsets.length > 0) {
                return new MultistreamDumpReader(dump, offsets, dump + " (its streams, found by scanning it)", lang,
                        problems, threads);
            }
        }
        return new WikipediaDumpReader(dump, lang, problems, threads);
    }

    /** The distinct stream offsets a multistream index lists, ascending (its first stream's end first). */
    public static long[] streamOffsets(Path index) throws IOException {
        return MultistreamIndex.offsets(index);
    }

    /**
     * Where Wikimedia puts a multistream dump's index: "...-multistream.xml.bz2" has
     * "...-multistream-index.txt.bz2", "...-multistream3.xml-p1p41242.bz2" has
     * "...-multistream-index3.txt-p1p41242.bz2". Empty for a name of another form.
     */
    public static Optional<Path> indexOf(Path dump) {
        Matcher m = MULTISTREAM.matcher(dump.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        String part = m.group(3) == null ? "" : m.group(3);
        return Optional.of(dump.resolveSibling(m.group(1) + "-index" + m.group(2) + ".txt" + part + ".bz2"));
    }
}
