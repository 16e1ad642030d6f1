package io.distiltrain.data;

/** Hears how far {@link DatasetPreparer} has got, e.g. to draw a progress bar. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (bytesRead, totalBytes, sequences) -> { };

    /**
     * Called after each tokenized batch and once at the end, from the preparing thread.
     *
     * @param bytesRead input bytes consumed so far over all files, as stored on disk (compressed
     *     bytes for compressed files, so the ratio is a true share of the work)
     * @param totalBytes the sizes of all input files added up
     * @param sequences sequences written so far
     */
    void progress(long bytesRead, long totalBytes, long sequences);
}
