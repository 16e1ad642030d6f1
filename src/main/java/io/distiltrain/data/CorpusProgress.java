package io.distiltrain.data;

/**
 * Hears how far a {@link CorpusPreparation} has got, source by source, e.g. to draw a progress
 * bar per source. Called on the preparing thread, after each written batch.
 */
public interface CorpusProgress {
    CorpusProgress NONE = new CorpusProgress() {
    };

    /** A stopped preparation continues at source {@code source}, after {@code shards} finished shards. */
    default void resumed(int source, int shards, long sequences) {
    }

    /** Source {@code index} (of the inputs, in order) begins. */
    default void started(int index, CorpusInput input) {
    }

    /**
     * @param bytesRead the source's on-disk bytes read so far (compressed bytes for compressed
     *     files, so the ratio is a true share of the work)
     * @param documents documents its reader returned so far, duplicates included
     * @param tokens ids written from it so far, CLS and SEP included
     */
    default void advanced(int index, long bytesRead, long documents, long tokens) {
    }

    /** Source {@code index} is done; {@code file} is its manifest entry. */
    default void finished(int index, PreparedManifest.SourceFile file) {
    }
}
