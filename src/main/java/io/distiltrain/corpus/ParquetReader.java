package io.distiltrain.corpus;

import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.RecordMaterializer;

/**
 * A Parquet file as Hugging Face datasets publishes them (wikimedia/wikipedia's id, url, title,
 * text; BookCorpus and OpenWebText conversions' text), one row a document. Streams: one row group
 * is in memory at a time, and of it only the columns read (text, and id, title, lang where present).
 *
 * <p>The id is the id column's value (a string or an integer) or else {@code <file name>:<row>},
 * rows counted from 0 as pyarrow and datasets index them; the title and lang come from their
 * columns when the file has them, the caller's lang (the CLI's --lang) taking precedence. A null
 * text, or one that is not UTF-8, is reported with the file and row and counted MALFORMED, as
 * JSONL counts a missing text; an empty text is counted EMPTY. No text column, or one that does
 * not hold strings, is a UserError naming the file, its columns and the fix (--text-field); a
 * file that is not Parquet or is cut short fails with an IOException naming it.
 *
 * <p>Runs without Hadoop: {@link ParquetFooter} and {@link ParquetRowGroup} read the file, {@link
 * ParquetCodecs} decompresses, and parquet-column decodes pages and assembles rows.
 */
public final class ParquetReader implements DocumentReader {
    private final Path file;
    private final String fileName;
    private final Problems problems;
    private final String lang;
    private final SkipCounts skips = new SkipCounts();
    private final Utf8 utf8 = new Utf8();
    private final long size;
    private final SeekableByteChannel channel;
    private final ParquetColumns columns;
    private final List<String> names;
    private final MessageColumnIO columnIo;
    private final RecordMaterializer<Object[]> materializer;
    private final List<RowGroup> rowGroups;
    private int nextGroup;
    private RecordReader<Object[]> rows;
    private long rowsLeftInGroup;
    private long row = -1;
    private long bytesOfFinishedGroups;
    private boolean ended;

    /** The default columns (text, id, title, lang) and no language of the caller's. */
    /** wikimedia/wikipedia's folder of one language: "20231101.de", "20231101.zh-min-nan". */
    private static final java.util.regex.Pattern HUB_WIKIPEDIA_FOLDER =
            java.util.regex.Pattern.compile("\\d{8}\\.([a-z][a-z0-9-]*)");

    /**
     * The language of a file of the Hugging Face wikimedia/wikipedia dataset, which has no language
     * column but keeps each language in a folder named {@code <snapshot>.<code>}; empty for a file
     * elsewhere.
     */
    public static java.util.Optional<String> hubWikipediaLanguage(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || folder.getFileName() == null) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher m = HUB_WIKIPEDIA_FOLDER.matcher(folder.getFileName().toString());
        return m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    public ParquetReader(Path file, Problems problems) throws IOException {
        this(file, problems, JsonlReader.Fields.DEFAULT, null);
    }

    /**
     * @param fields the column names, as for JSONL: text required, the others read when present
     * @param lang the documents' language tag, or null to take it from a lang column (or none)
     */
    public ParquetReader(Path file, Problems problems, JsonlReader.Fields fields, String lang) throws IOException {
        if (Files.isDirectory(file)) {
            throw new UserError(file + ": a folder, not a file; give a file, or a glob of the files in it such as "
                    + file + "/*.parquet");
        }
        this.file = file;
        this.fileName = file.getFileName().toString();
        this.problems = problems;
        this.lang = lang;
        this.size = Files.size(file);
        this.channel = Files.newByteChannel(file);
        try {
            ParquetFooter footer = ParquetFooter.read(file, channel, size);
            this.columns = new ParquetColumns(file, footer.schema, fields);
            this.names = columns.names();
            this.rowGroups = footer.metadata.getRow_groups();
            requireSupportedCodecs();
            this.columnIo = new ColumnIOFactory().getColumnIO(columns.projection());
            this.materializer = columns.materializer();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A codec this reader cannot decompress is named up front, not at the first page that uses it. */
    private void requireSupportedCodecs() {
        for (RowGroup group : rowGroups) {
            for (ColumnChunk chunk : group.getColumns()) {
                String column = String.join(".", chunk.getMeta_data().getPath_in_schema());
                if (names.contains(column) && !ParquetCodecs.SUPPORTED.contains(chunk.getMeta_data().getCodec())) {
                    throw new UserError(file + ": column \"" + column + "\" is compressed with "
                            + chunk.getMeta_data().getCodec() + ", which this reader does not decompress (it reads "
                            + ParquetCodecs.supportedNames() + "); write the file again with one of those, e.g. "
                            + "pyarrow's pq.write_table(table, path, compression=\"zstd\")");
                }
            }
        }
    }

    @Override
    public Document next() throws IOException {
        while (!ended) {
            if (rowsLeftInGroup == 0 && !nextGroup()) {
                ended = true;
                return null;
            }
            Object[] values;
            try {
                values = rows.read();
            } catch (RuntimeException e) {
                throw ParquetFooter.damaged(file, "cannot read row " + (row + 1), e);
            }
            rowsLeftInGroup--;
            row++;
            Document doc = document(values);
            if (doc != null) {
                return doc;
            }
        }
        return null;
    }

    /** Moves to the next row group that has rows; false at the end of the file. */
    private boolean nextGroup() throws IOException {
        if (rows != null) {
            bytesOfFinishedGroups += ParquetRowGroup.compressedSize(rowGroups.get(nextGroup - 1));
            rows = null;
        }
        while (nextGroup < rowGroups.size()) {
            RowGroup group = rowGroups.get(nextGroup++);
            if (group.getNum_rows() == 0) {
                bytesOfFinishedGroups += ParquetRowGroup.compressedSize(group);
                continue;
            }
            ParquetRowGroup pages;
            try {
                pages = new ParquetRowGroup(channel, group, names);
                rows = columnIo.getRecordReader(pages, materializer);
            } catch (IOException | RuntimeException e) {
                throw ParquetFooter.damaged(file, "cannot read row group " + (nextGroup - 1), e);
            }
            rowsLeftInGroup = group.getNum_rows();
            return true;
        }
        bytesOfFinishedGroups = size;
        return false;
    }

    /** The document of the current row, or null after counting (and reporting) its skip. */
    private Document document(Object[] values) {
        byte[] raw = (byte[]) values[columns.text];
        if (raw == null) {
            malformed("null \"" + columns.name(columns.text) + "\"");
            return null;
        }
        String text;
        try {
            text = utf8.decode(raw);
        } catch (Utf8.Invalid e) {
            malformed("\"" + columns.name(columns.text) + "\" is " + e.getMessage());
            return null;
        }
        String clean = Paragraphs.normalize(text);
        if (clean.isEmpty()) {
            skips.add(SkipReason.EMPTY);
            return null;
        }
        String id = value(values, columns.id);
        String docLang = lang != null ? lang : value(values, columns.lang);
        return new Document(id == null ? fileName + ":" + row : id, value(values, columns.title), docLang, clean);
    }

    /** A string (decoded leniently: ids and titles are labels, not corpus text) or integer column, or null. */
    private static String value(Object[] values, int column) {
        if (column < 0 || values[column] == null) {
            return null;
        }
        Object v = values[column];
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
    }

    private void malformed(String what) {
        problems.report(file + ", row " + row, what);
        skips.add(SkipReason.MALFORMED);
    }

    @Override
    public long bytesRead() {
        return bytesOfFinishedGroups;
    }

    @Override
    public long totalBytes() {
        return size;
    }

    @Override
    public Map<SkipReason, Long> skipped() {
        return skips.snapshot();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
