package io.distiltrain.data;

import io.distiltrain.corpus.DocumentReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A corpus source for data preparation: documents through a {@link DocumentReader}.
 *
 * @param name as the user named it ("wikipedia:dumps/dewiki-*.xml.bz2"), for the manifest and messages
 * @param kind wikipedia, jsonl, openwebtext, bookcorpus or text
 * @param lang the language tag of documents that carry none (null for none)
 * @param files the files it reads, for the manifest's size and checksum
 * @param open opens the reader when its turn comes
 */
public record CorpusInput(String name, String kind, String lang, List<Path> files, Opener open) {
    public CorpusInput {
        files = List.copyOf(files);
    }

    /** The on-disk size of its files. */
    public long bytes() {
        return files.stream().mapToLong(f -> f.toFile().length()).sum();
    }

    /** Opens a source's reader. */
    @FunctionalInterface
    public interface Opener {
        DocumentReader open() throws IOException;
    }
}
