package io.distiltrain.corpus.wikipedia;

import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.DocumentReader;
import io.distiltrain.corpus.Problems;
import io.distiltrain.corpus.SkipReason;
import io.distiltrain.corpus.Workers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import javax.xml.stream.XMLStreamException;

/**
 * The articles of a MediaWiki XML export dump as Wikimedia publishes it
 * ({@code *-pages-articles*.xml.bz2}, the multistream variant read as one multi-member bzip2
 * stream, {@code .gz}, {@code .xz} or plain {@code .xml}; export schemas 0.10 and 0.11), cleaned by
 * {@link WikitextCleaner} with the dump's own namespace names.
 *
 * <p>Only articles become documents: a page outside namespace 0 is {@link SkipReason#NOT_AN_ARTICLE},
 * then a redirect is {@link SkipReason#REDIRECT}, a page with a disambiguation template
 * ({@link Disambiguation}) {@link SkipReason#DISAMBIGUATION}, a page with no prose left
 * {@link SkipReason#EMPTY}, and a page with invalid UTF-8 {@link SkipReason#MALFORMED} (reported).
 * Malformed XML is reported with the file and position, counted as MALFORMED, and ends this file
 * cleanly with the documents before it kept; a truncated or corrupt archive ends it with an
 * {@link IOException} naming the file.
 */
public final class WikipediaDumpReader implements DocumentReader {
    private final Path file;
    private final String lang;
    private final Problems problems;
    private final long totalBytes;
    private final DumpInput input;
    private final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    private DumpXml xml;
    private SiteInfo siteInfo;
    private PageFilter filter;
    private String lastPage = "";
    private boolean done;
    /** Null to clean on the reading thread; else the pool pages are cleaned on, in batches. */
    private final java.util.concurrent.ExecutorService pool;
    private final java.util.ArrayDeque<java.util.concurrent.Future<Cleaned>> inFlight = new java.util.ArrayDeque<>();
    private final int window;
    private java.util.Iterator<Document> cleaned = java.util.Collections.emptyIterator();
    private IOException failure;

    /** Pages parsed together and cleaned on one pool thread: enough work to outweigh handing it over. */
    private static final int PAGES_PER_BATCH = 64;

    /** One batch's documents (in page order) and skips. */
    private record Cleaned(java.util.List<Document> documents, Map<SkipReason, Long> skipped) {
    }

    /**
     * @param file the dump
     * @param lang the documents' language tag, or null for the one the dump's dbname (or base URL) gives
     * @param problems where bad pages and malformed XML are reported
     * @throws IOException if the file is empty, unreadable or not of its extension's compression
     */
    public WikipediaDumpReader(Path file, String lang, Problems problems) throws IOException {
        this(file, lang, problems, 1);
    }

    /**
     * @param threads above 1, pages are parsed on the calling thread and cleaned in batches on a
     *     pool of this many threads, the documents coming out in page order (the same documents
     *     and counts as with 1): for a dump that is one bzip2 stream, decompression is serial but
     *     cleaning, the larger part, need not be
     */
    public WikipediaDumpReader(Path file, String lang, Problems problems, int threads) throws IOException {
        this.pool = threads > 1 ? Workers.pool(threads, "wikipedia-clean") : null;
        this.window = 2 * threads;
        this.file = Objects.requireNonNull(file, "file");
        this.lang = lang;
        this.problems = Objects.requireNonNull(problems, "problems");
        this.totalBytes = Files.size(file);
        this.input = new DumpInput(file);
    }

    /** The dump's siteinfo; reads the header if no page was read yet. Null if the header was malformed. */
    public SiteInfo siteInfo() throws IOException {
        start();
        return siteInfo;
    }

    @Override
    public Document next() throws IOException {
        return pool == null ? nextHere() : nextFromPool();
    }

    private Document nextFromPool() throws IOException {
        start();
        while (!cleaned.hasNext()) {
            while (inFlight.size() < window && !done) {
                java.util.List<Page> pages = new java.util.ArrayList<>(PAGES_PER_BATCH);
                while (pages.size() < PAGES_PER_BATCH && !done) {
                    try {
                        Page page = nextPage();
                        if (page != null) {
                            pages.add(page);
                        }
                    } catch (IOException e) {
                        failure = e; // thrown once the pages before it are handed out, as on one thread
                    }
                }
                String at = String.format("%,d", input.bytesRead());
                inFlight.add(pool.submit(() -> clean(pages, at)));
            }
            if (inFlight.isEmpty()) {
                if (failure != null) {
                    IOException e = failure;
                    failure = null;
                    throw e;
                }
                return null;
            }
            Cleaned c = Workers.await(inFlight.poll(), file);
            c.skipped().forEach((reason, n) -> skipped.merge(reason, n, Long::sum));
            cleaned = c.documents().iterator();
        }
        return cleaned.next();
    }

    private Cleaned clean(java.util.List<Page> pages, String bytesRead) {
        Map<SkipReason, Long> counts = new EnumMap<>(SkipReason.class);
        java.util.List<Document> out = new java.util.ArrayList<>();
        for (Page page : pages) {
            Document d = filter.document(page, counts, what -> file + ", " + what + " (about " + bytesRead
                    + " bytes of the file read)");
            if (d != null) {
                out.add(d);
            }
        }
        return new Cleaned(out, counts);
    }

    /** The next page, or null at the end or after malformed XML (both set {@code done}). */
    private Page nextPage() throws IOException {
        try {
            Page page = xml.nextPage();
            if (page == null) {
                done = true;
            } else {
                lastPage = page.id();
            }
            return page;
        } catch (XMLStreamException | RuntimeException e) {
            malformed(e);
            return null;
        }
    }

    private Document nextHere() throws IOException {
        start();
        while (!done) {
            Page page;
            try {
                page = xml.nextPage();
            } catch (XMLStreamException | RuntimeException e) {
                malformed(e);
                return null;
            }
            if (page == null) {
                done = true;
                return null;
            }
            lastPage = page.id();
            Document document = document(page);
            if (document != null) {
                return document;
            }
        }
        return null;
    }

    /** Reads the header the first time. */
    private void start() throws IOException {
        if (xml != null || done) {
            return;
        }
        try {
            xml = new DumpXml(input.reader());
            siteInfo = xml.readHeader();
        } catch (XMLStreamException | RuntimeException e) {
            malformed(e);
            return;
        }
        filter = new PageFilter(Namespaces.of(siteInfo.namespaces()), lang != null ? lang : siteInfo.language(), problems);
    }

    private Document document(Page page) {
        return filter.document(page, skipped, this::where);
    }

    private void skip(SkipReason reason) {
        PageFilter.skip(skipped, reason);
    }

    /**
     * Ends the file after bad XML: a failure of the decompressor below it is the file's (an
     * IOException); otherwise the XML's, reported and counted.
     */
    private void malformed(Exception e) throws IOException {
        done = true;
        IOException below = input.failure();
        if (below != null) {
            throw new IOException(file + ": the compressed stream is truncated or corrupt (" + String.format("%,d",
                    input.bytesRead()) + " bytes of the file read): " + below.getMessage(), below);
        }
        skip(SkipReason.MALFORMED);
        String position = xml == null ? "" : ", " + xml.location();
        String after = lastPage.isEmpty() ? "before the first page" : "after page " + lastPage;
        problems.report(where(after + position), "malformed XML: " + message(e) + "; the rest of the file is not read");
    }

    /**
     * A position for a report. Line and column (given for bad XML) are exact in the decompressed
     * XML; the byte count is how far into the file the decompressor has read, a buffer (64 KiB) or a
     * bzip2 block ahead of the record, which is where a resumed or split read would look.
     */
    private String where(String what) {
        return file + ", " + what + " (" + String.format("%,d", input.bytesRead()) + " bytes of the file read)";
    }

    static String message(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // The JDK's StAX messages start with "ParseError at [row,col]:[..]\nMessage: "; the position is given apart.
        int at = m.indexOf("Message: ");
        return (at >= 0 ? m.substring(at + "Message: ".length()) : m).strip();
    }

    @Override
    public long bytesRead() {
        return input.bytesRead();
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
        if (pool != null) {
            pool.shutdownNow();
        }
        try (DumpInput in = input) {
            if (xml != null) {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
