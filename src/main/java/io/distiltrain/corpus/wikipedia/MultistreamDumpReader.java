package io.distiltrain.corpus.wikipedia;

import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.DocumentReader;
import io.distiltrain.corpus.Problems;
import io.distiltrain.corpus.SkipReason;
import io.distiltrain.corpus.Workers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import javax.xml.stream.XMLStreamException;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * A multistream dump read in parallel from its index: each bzip2 stream (about 100 pages) is
 * read from its offset, decompressed and cleaned on a pool of threads, and the documents come out
 * in the dump's order, the same documents and counts as {@link WikipediaDumpReader} gives.
 *
 * <p>The first stream (up to the first offset) holds the root element and the siteinfo; each
 * other stream holds whole pages, so bad XML in one stream is reported and loses only the rest of
 * that stream. A stream that does not decompress (a truncated file, an index of another dump) ends
 * the reader with an {@link IOException} naming the file and the stream's offset.
 */
public final class MultistreamDumpReader implements DocumentReader {
    /** The largest compressed range read as one stream (Wikimedia's are well under 10 MiB). */
    static final long MAX_STREAM = 256L << 20;
    private final Path file;
    private final Problems problems;
    private final FileChannel channel;
    private final long totalBytes;
    private final long[] offsets;
    private final SiteInfo siteInfo;
    private final PageFilter filter;
    private final ExecutorService pool;
    private final int window;
    private final Deque<Future<Chunk>> inFlight = new ArrayDeque<>();
    private final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    private Iterator<Document> current = Collections.emptyIterator();
    private int nextStream;
    private long bytesRead;

    /** One stream's documents and skips, and its compressed size. */
    private record Chunk(List<Document> documents, Map<SkipReason, Long> skipped, long bytes) {
    }

    /**
     * @param file the {@code *-pages-articles-multistream.xml.bz2} dump
     * @param index its {@code *-multistream-index.txt.bz2}
     * @param lang the documents' language tag, or null for the dump's own
     * @param threads how many streams decompress at once
     */
    public MultistreamDumpReader(Path file, Path index, String lang, Problems problems, int threads) throws IOException {
        this(file, MultistreamIndex.offsets(index), index.toString(), lang, problems, threads);
    }

    /**
     * @param offsets the streams' start offsets after the first (ascending), from an index or
     *     from {@link MultistreamIndex#scan}
     * @param offsetsSource where they came from, for messages
     */
    MultistreamDumpReader(Path file, long[] offsets, String offsetsSource, String lang, Problems problems, int threads)
            throws IOException {
        Object index = offsetsSource;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.file = file;
        this.problems = problems;
        this.offsets = offsets;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            this.totalBytes = channel.size();
            if (totalBytes == 0) {
                throw new IOException(file + ": empty file (0 bytes), not a MediaWiki XML dump");
            }
            if (offsets[0] == 0 || offsets[offsets.length - 1] >= totalBytes) {
                throw new IOException(index + ": its offsets do not fit " + file + " (" + totalBytes + " bytes)");
            }
            checkStreamSizes(index);
            this.siteInfo = header();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.filter = new PageFilter(Namespaces.of(siteInfo.namespaces()), lang != null ? lang : siteInfo.language(),
                problems);
        this.bytesRead = offsets[0];
        this.window = threads * 2;
        this.pool = Workers.pool(threads, "wikipedia-multistream");
    }

    /** Each range is read whole into memory: a wrong index (of a plain dump) must not make one the whole file. */
    private void checkStreamSizes(Object index) throws IOException {
        long previous = 0;
        for (int k = 0; k <= offsets.length; k++) {
            long end = k < offsets.length ? offsets[k] : totalBytes;
            if (end - previous > MAX_STREAM) {
                throw new IOException(index + ": a stream of " + (end - previous) + " bytes at byte " + previous + " of "
                        + file + "; a multistream dump's streams hold about 100 pages (is this the index of another dump?)");
            }
            previous = end;
        }
    }

    public SiteInfo siteInfo() {
        return siteInfo;
    }

    private SiteInfo header() throws IOException {
        String text = decompress(0, offsets[0]);
        try (DumpXml xml = new DumpXml(new StringReader(text + "</mediawiki>"))) {
            return xml.readHeader();
        } catch (XMLStreamException e) {
            throw new IOException(file + ": the first stream is not a MediaWiki export's header: "
                    + WikipediaDumpReader.message(e), e);
        }
    }

    @Override
    public Document next() throws IOException {
        while (!current.hasNext()) {
            while (inFlight.size() < window && nextStream < offsets.length) {
                int k = nextStream++;
                inFlight.add(pool.submit(() -> chunk(k)));
            }
            if (inFlight.isEmpty()) {
                return null;
            }
            Chunk chunk = Workers.await(inFlight.poll(), file);
            chunk.skipped().forEach((reason, n) -> skipped.merge(reason, n, Long::sum));
            bytesRead += chunk.bytes();
            current = chunk.documents().iterator();
        }
        return current.next();
    }

    /** Stream k's pages, on a pool thread. */
    private Chunk chunk(int k) throws IOException {
        long from = offsets[k];
        long to = k + 1 < offsets.length ? offsets[k + 1] : totalBytes;
        String text = decompress(from, to).strip();
        // The last range also holds the closing stream (or is it, when the offsets were scanned).
        if (text.endsWith("</mediawiki>")) {
            text = text.substring(0, text.length() - "</mediawiki>".length());
        }
        if (text.isBlank()) {
            return new Chunk(List.of(), Map.of(), to - from);
        }
        List<Document> documents = new ArrayList<>();
        Map<SkipReason, Long> counts = new EnumMap<>(SkipReason.class);
        String stream = file + ", the bzip2 stream at byte " + String.format("%,d", from);
        String last = "";
        try (DumpXml xml = new DumpXml(new StringReader("<mediawiki>" + text + "</mediawiki>"))) {
            xml.readHeader();
            for (Page page = xml.nextPage(); page != null; page = xml.nextPage()) {
                last = page.id();
                Document d = filter.document(page, counts, what -> stream + ", " + what);
                if (d != null) {
                    documents.add(d);
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof io.distiltrain.UserError user) {
                throw user;
            }
            PageFilter.skip(counts, SkipReason.MALFORMED);
            problems.report(stream + (last.isEmpty() ? ", before its first page" : ", after page " + last),
                    "malformed XML: " + WikipediaDumpReader.message(e) + "; the rest of this stream is not read");
        }
        return new Chunk(documents, counts, to - from);
    }

    /** The text of the bzip2 stream(s) in bytes [from, to) of the file. */
    private String decompress(long from, long to) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(to - from));
        while (bytes.hasRemaining()) {
            if (channel.read(bytes, from + bytes.position()) < 0) {
                throw new IOException(file + ": truncated: ends at byte " + (from + bytes.position()) + " before "
                        + "the stream the index names there");
            }
        }
        try (InputStream in = new BZip2CompressorInputStream(new ByteArrayInputStream(bytes.array()), true);
                Reader reader = new InputStreamReader(in, DumpInput.utf8())) {
            StringBuilder text = new StringBuilder();
            char[] buf = new char[1 << 14];
            for (int n = reader.read(buf); n >= 0; n = reader.read(buf)) {
                text.append(buf, 0, n);
            }
            return text.toString();
        } catch (IOException e) {
            throw new IOException(file + ": the bzip2 stream at byte " + String.format("%,d", from)
                    + " is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public long totalBytes() {
        return totalBytes;
    }

    @Override
    public Map<SkipReason, Long> skipped() {
        return Map.copyOf(skipped);
    }

    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        channel.close();
    }
}
