package io.distiltrain.corpus.wikipedia;

import io.distiltrain.corpus.Document;
import io.distiltrain.corpus.DocumentReader;
import io.distiltrain.corpus.Problems;
import io.distiltrain.corpus.SkipReason;
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

    /**
     * @param file the dump
     * @param lang the documents' language tag, or null for the one the dump's dbname (or base URL) gives
     * @param problems where bad pages and malformed XML are reported
     * @throws IOException if the file is empty, unreadable or not of its extension's compression
     */
    public WikipediaDumpReader(Path file, String lang, Problems problems) throws IOException {
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
        try (DumpInput in = input) {
            if (xml != null) {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
