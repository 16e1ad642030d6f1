package io.distiltrain.corpus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * One row group's pages of the columns read, decompressed, for parquet-column's record reader:
 * what parquet-hadoop's file reader would give, without its Hadoop codec factory. Each column
 * chunk is read from disk in one piece and cut into pages by their Thrift headers.
 */
final class ParquetRowGroup implements PageReadStore {
    private final long rows;
    private final Map<String, Column> columns = new HashMap<>();

    /**
     * Reads the chunks of {@code group} whose column (a top-level name) is in {@code names}.
     * Throws an IOException when a chunk or a page cannot be read: the caller names the file.
     */
    ParquetRowGroup(SeekableByteChannel ch, RowGroup group, List<String> names) throws IOException {
        this.rows = group.getNum_rows();
        for (ColumnChunk chunk : group.getColumns()) {
            ColumnMetaData meta = chunk.getMeta_data();
            String name = String.join(".", meta.getPath_in_schema());
            if (names.contains(name)) {
                columns.put(name, new Column(read(ch, meta), meta));
            }
        }
    }

    /** The on-disk bytes of a row group, all its columns: what reading it moves progress by. */
    static long compressedSize(RowGroup group) {
        if (group.isSetTotal_compressed_size()) {
            return group.getTotal_compressed_size();
        }
        return group.getColumns().stream().mapToLong(c -> c.getMeta_data().getTotal_compressed_size()).sum();
    }

    private static byte[] read(SeekableByteChannel ch, ColumnMetaData meta) throws IOException {
        // A chunk starts at its dictionary page when it has one (which precedes the data pages).
        long start = meta.getData_page_offset();
        if (meta.isSetDictionary_page_offset() && meta.getDictionary_page_offset() > 0) {
            start = Math.min(start, meta.getDictionary_page_offset());
        }
        long length = meta.getTotal_compressed_size();
        if (start < 0 || length < 0 || start + length > ch.size()) {
            throw new IOException("column chunk at byte " + start + " (" + length + " bytes) lies outside the file");
        }
        if (length > Integer.MAX_VALUE - 16) {
            // Not damage: a writer may make such row groups, but they are not read in one piece here.
            throw new IOException("a column chunk of " + length + " bytes, over 2 GB; write the file with smaller row "
                    + "groups (pyarrow's row_group_size)");
        }
        byte[] bytes = new byte[(int) length];
        ParquetFooter.readFully(ch, start, ByteBuffer.wrap(bytes));
        return bytes;
    }

    @Override
    public PageReader getPageReader(ColumnDescriptor descriptor) {
        Column c = columns.get(String.join(".", descriptor.getPath()));
        if (c == null) {
            throw new IllegalArgumentException("column " + String.join(".", descriptor.getPath()) + " was not read");
        }
        return c;
    }

    @Override
    public long getRowCount() {
        return rows;
    }

    /** A column chunk's pages, decompressed up front (so damage shows when the group is read, not mid-row). */
    private static final class Column implements PageReader {
        private final long values;
        private DictionaryPage dictionary;
        private final ArrayDeque<DataPage> pages = new ArrayDeque<>();

        Column(byte[] chunk, ColumnMetaData meta) throws IOException {
            this.values = meta.getNum_values();
            ByteArrayInputStream in = new ByteArrayInputStream(chunk);
            long seen = 0;
            while (seen < values) {
                int at = chunk.length - in.available();
                PageHeader h = Util.readPageHeader(in);
                int offset = chunk.length - in.available();
                int size = h.getCompressed_page_size();
                if (size < 0 || size > in.available()) {
                    throw new IOException("page at byte " + at + " of column " + meta.getPath_in_schema()
                            + " runs past its chunk");
                }
                in.skip(size);
                switch (h.getType()) {
                    case DICTIONARY_PAGE -> dictionary = new DictionaryPage(BytesInput.from(ParquetCodecs.decompress(
                            meta.getCodec(), chunk, offset, size, h.getUncompressed_page_size())),
                            h.getDictionary_page_header().getNum_values(),
                            encoding(h.getDictionary_page_header().getEncoding()));
                    case DATA_PAGE -> {
                        DataPageHeader d = h.getData_page_header();
                        byte[] data = ParquetCodecs.decompress(meta.getCodec(), chunk, offset, size,
                                h.getUncompressed_page_size());
                        pages.add(new DataPageV1(BytesInput.from(data), d.getNum_values(), data.length, null,
                                encoding(d.getRepetition_level_encoding()), encoding(d.getDefinition_level_encoding()),
                                encoding(d.getEncoding())));
                        seen += d.getNum_values();
                    }
                    case DATA_PAGE_V2 -> {
                        pages.add(pageV2(h, meta, chunk, offset, size));
                        seen += h.getData_page_header_v2().getNum_values();
                    }
                    default -> {
                        // Index pages (unused by any writer) and unknown kinds carry no values.
                    }
                }
            }
        }

        /** Version-2 pages keep their levels uncompressed ahead of the (maybe compressed) values. */
        private static DataPage pageV2(PageHeader h, ColumnMetaData meta, byte[] chunk, int offset, int size)
                throws IOException {
            DataPageHeaderV2 d = h.getData_page_header_v2();
            int rl = d.getRepetition_levels_byte_length();
            int dl = d.getDefinition_levels_byte_length();
            if (rl < 0 || dl < 0 || rl + dl > size) {
                throw new IOException("a version-2 page's levels are longer than the page");
            }
            int valuesAt = offset + rl + dl;
            int valuesSize = size - rl - dl;
            int uncompressedValues = h.getUncompressed_page_size() - rl - dl;
            boolean compressed = !d.isSetIs_compressed() || d.isIs_compressed();
            byte[] data = compressed
                    ? ParquetCodecs.decompress(meta.getCodec(), chunk, valuesAt, valuesSize, uncompressedValues)
                    : Arrays.copyOfRange(chunk, valuesAt, valuesAt + valuesSize);
            return DataPageV2.uncompressed(d.getNum_rows(), d.getNum_nulls(), d.getNum_values(),
                    BytesInput.from(chunk, offset, rl), BytesInput.from(chunk, offset + rl, dl),
                    encoding(d.getEncoding()), BytesInput.from(data), null);
        }

        private static Encoding encoding(org.apache.parquet.format.Encoding e) {
            return Encoding.valueOf(e.name());
        }

        @Override
        public DictionaryPage readDictionaryPage() {
            return dictionary;
        }

        @Override
        public long getTotalValueCount() {
            return values;
        }

        @Override
        public DataPage readPage() {
            return pages.poll();
        }
    }
}
