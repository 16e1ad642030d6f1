package io.distiltrain.corpus;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * A Parquet file's footer: "PAR1", the row groups, then the file metadata (Thrift), its length
 * (4 bytes, little-endian) and "PAR1" again. Checked here step by step so that a zero-byte,
 * cut-short or foreign file gets one plain sentence naming it.
 */
final class ParquetFooter {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int TAIL = 4 + MAGIC.length;

    final FileMetaData metadata;
    final MessageType schema;

    private ParquetFooter(FileMetaData metadata, MessageType schema) {
        this.metadata = metadata;
        this.schema = schema;
    }

    static ParquetFooter read(Path file, SeekableByteChannel ch, long size) throws IOException {
        if (size < MAGIC.length + TAIL) {
            throw new IOException(file + ": not a Parquet file (" + size + " bytes); it is empty or truncated, or not "
                    + "Parquet");
        }
        byte[] head = new byte[MAGIC.length];
        readFully(ch, 0, ByteBuffer.wrap(head));
        if (!Arrays.equals(head, MAGIC)) {
            throw new IOException(file + ": not a Parquet file (it does not start with \"PAR1\")");
        }
        ByteBuffer tail = ByteBuffer.allocate(TAIL).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, size - TAIL, tail);
        byte[] end = Arrays.copyOfRange(tail.array(), 4, TAIL);
        if (Arrays.equals(end, "PARE".getBytes(StandardCharsets.US_ASCII))) {
            throw new IOException(file + ": an encrypted Parquet file (its footer is encrypted), which this reader "
                    + "does not read; decrypt it first");
        }
        if (!Arrays.equals(end, MAGIC)) {
            throw new IOException(file + ": a Parquet file cut short (no \"PAR1\" at its end, so no footer); it is "
                    + "truncated");
        }
        int length = tail.getInt(0);
        if (length <= 0 || length > size - MAGIC.length - TAIL) {
            throw new IOException(file + ": cannot read the Parquet footer (its length, " + length + " bytes, does not "
                    + "fit in the file); the file is damaged or truncated");
        }
        byte[] footer = new byte[length];
        readFully(ch, size - TAIL - length, ByteBuffer.wrap(footer));
        try {
            FileMetaData metadata = Util.readFileMetaData(new ByteArrayInputStream(footer));
            return new ParquetFooter(metadata, schema(metadata.getSchema()));
        } catch (IOException | RuntimeException e) {
            throw damaged(file, "cannot read the Parquet footer", e);
        }
    }

    /** The library's message after ours: it says what was wrong, ours says where. */
    static IOException damaged(Path file, String what, Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IOException(file + ": " + what + " (" + why + "); the file is damaged or truncated", e);
    }

    static void readFully(SeekableByteChannel ch, long position, ByteBuffer into) throws IOException {
        ch.position(position);
        while (into.hasRemaining()) {
            if (ch.read(into) < 0) {
                throw new EOFException("end of file at byte " + ch.position());
            }
        }
    }

    /**
     * The schema as parquet-column's types, from the footer's flattened list (each group followed
     * by its children). Only the string annotation matters to the reader; other logical types are
     * left out (such columns are not read, and messages name their physical type).
     */
    static MessageType schema(List<SchemaElement> elements) {
        if (elements == null || elements.isEmpty()) {
            throw new IllegalArgumentException("no schema");
        }
        int[] next = {1};
        List<Type> fields = children(elements, elements.get(0), next);
        return new MessageType(elements.get(0).getName(), fields);
    }

    private static List<Type> children(List<SchemaElement> elements, SchemaElement parent, int[] next) {
        List<Type> out = new ArrayList<>();
        for (int i = 0; i < parent.getNum_children(); i++) {
            SchemaElement e = elements.get(next[0]++);
            Type.Repetition repetition = repetition(e);
            if (e.isSetNum_children()) {
                out.add(new GroupType(repetition, e.getName(), children(elements, e, next)));
                continue;
            }
            PrimitiveTypeName type = switch (e.getType()) {
                case BOOLEAN -> PrimitiveTypeName.BOOLEAN;
                case INT32 -> PrimitiveTypeName.INT32;
                case INT64 -> PrimitiveTypeName.INT64;
                case INT96 -> PrimitiveTypeName.INT96;
                case FLOAT -> PrimitiveTypeName.FLOAT;
                case DOUBLE -> PrimitiveTypeName.DOUBLE;
                case BYTE_ARRAY -> PrimitiveTypeName.BINARY;
                case FIXED_LEN_BYTE_ARRAY -> PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
            };
            Types.PrimitiveBuilder<PrimitiveType> b = Types.primitive(type, repetition);
            if (type == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
                b = b.length(e.getType_length());
            }
            if (isString(e)) {
                b = b.as(LogicalTypeAnnotation.stringType());
            }
            out.add(b.named(e.getName()));
        }
        return out;
    }

    /** STRING as a logical type (newer writers) or UTF8 as a converted type (older ones, and pyarrow too). */
    private static boolean isString(SchemaElement e) {
        return (e.isSetLogicalType() && e.getLogicalType().isSetSTRING())
                || (e.isSetConverted_type() && e.getConverted_type() == org.apache.parquet.format.ConvertedType.UTF8);
    }

    private static Type.Repetition repetition(SchemaElement e) {
        FieldRepetitionType r = e.isSetRepetition_type() ? e.getRepetition_type() : FieldRepetitionType.REQUIRED;
        return switch (r) {
            case REQUIRED -> Type.Repetition.REQUIRED;
            case OPTIONAL -> Type.Repetition.OPTIONAL;
            case REPEATED -> Type.Repetition.REPEATED;
        };
    }
}
