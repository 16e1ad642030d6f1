package io.distiltrain.corpus;

import java.io.IOException;
import java.util.Map;

/**
 * A source's documents, in the source's order, read as a stream (never unpacked to disk).
 *
 * <p>A bad record is reported through the {@link Problems} the reader was given (with the source
 * and the position) and counted, then skipped; in strict mode the report is fatal. A truncated or
 * unreadable file ends the reader with an {@link IOException} naming it.
 */
public interface DocumentReader extends AutoCloseable {
    /** The next document, or null at the end. */
    Document next() throws IOException;

    /** Compressed (on-disk) bytes read so far, for progress. */
    long bytesRead();

    /** The on-disk size of everything this reader will read, for progress. */
    long totalBytes();

    /** Records read but not returned, by reason. */
    Map<SkipReason, Long> skipped();

    @Override
    void close() throws IOException;
}
