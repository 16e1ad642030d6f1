package io.distiltrain.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The shared half of the line-oriented readers (text, JSONL): one file, one record a line, each
 * line decoded strictly on its own. Subclasses turn a decoded line into a document or a skip.
 */
abstract class LineRecords implements DocumentReader {
    protected final Path file;
    protected final Problems problems;
    protected final SkipCounts skips = new SkipCounts();
    private final CompressedFile source;
    private final ByteLines lines;
    private final Utf8 utf8 = new Utf8();
    private String idPrefix = "";

    LineRecords(Path file, Problems problems) throws IOException {
        this.file = file;
        this.problems = problems;
        this.source = new CompressedFile(file);
        this.lines = new ByteLines(source.data());
    }

    /**
     * Makes ids that come from line numbers "{@code <name>:<line>}" instead of "{@code <line>}": set
     * when this file is one of several read as one source, whose line numbers repeat across files.
     */
    void nameLineIds(String name) {
        this.idPrefix = name + ":";
    }

    /** The id of a record that has none of its own: its line number, after the file's name if one was given. */
    protected String lineId(long number) {
        return idPrefix + number;
    }

    /** The document of line {@code number}, or null after counting it in {@link #skips}. */
    protected abstract Document parse(String line, long number);

    @Override
    public Document next() throws IOException {
        while (true) {
            boolean more;
            try {
                more = lines.next();
            } catch (ByteLines.LineTooLong e) {
                throw new IOException(file + ": " + e.getMessage(), e); // not a damaged file: no "truncated"
            } catch (IOException e) {
                throw source.failure(e);
            }
            if (!more) {
                return null;
            }
            String line;
            try {
                line = utf8.decode(lines.bytes(), lines.length());
            } catch (Utf8.Invalid e) {
                malformed(lines.number(), e.getMessage());
                continue;
            }
            Document doc = parse(lines.number() == 1 ? Utf8.withoutBom(line) : line, lines.number());
            if (doc != null) {
                return doc;
            }
        }
    }

    /** Reports line {@code number} and counts it MALFORMED (strict Problems throw instead). */
    protected void malformed(long number, String what) {
        problems.report(file + ", line " + number, what);
        skips.add(SkipReason.MALFORMED);
    }

    @Override
    public long bytesRead() {
        return source.bytesRead();
    }

    @Override
    public long totalBytes() {
        return source.size();
    }

    @Override
    public Map<SkipReason, Long> skipped() {
        return skips.snapshot();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
