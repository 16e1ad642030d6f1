package io.distiltrain.corpus;

import io.distiltrain.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * The columns of a Parquet file a {@link ParquetReader} reads (text, and id, title, lang where the
 * file has them), checked against the file's schema, and the converter that turns a row of them
 * into raw values. Only these columns are projected, so a file's other columns (Wikipedia's url)
 * are never read from disk.
 */
final class ParquetColumns {
    /** Positions in {@link #projection()} and in a row's values; -1 where the file lacks the column. */
    final int text;
    final int id;
    final int title;
    final int lang;
    private final List<Type> chosen = new ArrayList<>();
    private final MessageType projection;

    /**
     * Throws a UserError naming the file when it has no string column {@code fields.text()}: the
     * fix is another --text-field. An id column that is neither a string nor an integer, or a title
     * or lang column that is not a string, is ignored (as JSONL ignores such fields).
     */
    ParquetColumns(Path file, MessageType schema, JsonlReader.Fields fields) {
        Type textType = field(schema, fields.text());
        if (textType == null) {
            throw new UserError(file + ": no column \"" + fields.text() + "\"; its columns are "
                    + schema.getFields().stream().map(Type::getName).collect(Collectors.joining(", "))
                    + "; name the one that holds the text with --text-field NAME");
        }
        if (!isString(textType)) {
            throw new UserError(file + ": column \"" + fields.text() + "\" holds " + describe(textType)
                    + ", not strings; name a string column with --text-field NAME");
        }
        this.text = choose(textType);
        Type idType = field(schema, fields.id());
        this.id = idType != null && (isString(idType) || isInteger(idType)) ? choose(idType) : -1;
        Type titleType = field(schema, fields.title());
        this.title = titleType != null && isString(titleType) ? choose(titleType) : -1;
        Type langType = field(schema, fields.lang());
        this.lang = langType != null && isString(langType) ? choose(langType) : -1;
        this.projection = new MessageType(schema.getName(), chosen);
    }

    /** The file's schema cut to the columns read. */
    MessageType projection() {
        return projection;
    }

    int count() {
        return chosen.size();
    }

    String name(int column) {
        return chosen.get(column).getName();
    }

    /** The names of the columns read, in projection order: the column chunks to take from disk. */
    List<String> names() {
        return chosen.stream().map(Type::getName).toList();
    }

    private int choose(Type t) {
        chosen.add(t);
        return chosen.size() - 1;
    }

    private static Type field(MessageType schema, String name) {
        return name != null && schema.containsField(name) ? schema.getType(name) : null;
    }

    /** A single (not repeated) string: BYTE_ARRAY annotated as a string, as pyarrow writes str columns. */
    private static boolean isString(Type t) {
        return t.isPrimitive() && !t.isRepetition(Type.Repetition.REPEATED)
                && t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY
                && t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation;
    }

    private static boolean isInteger(Type t) {
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
            return false;
        }
        PrimitiveTypeName p = t.asPrimitiveType().getPrimitiveTypeName();
        return p == PrimitiveTypeName.INT32 || p == PrimitiveTypeName.INT64;
    }

    /** A type as a user reads it: "int64", "binary", "binary (json)", "a list or struct". */
    private static String describe(Type t) {
        if (!t.isPrimitive()) {
            return "a list or struct";
        }
        String p = t.asPrimitiveType().getPrimitiveTypeName().name().toLowerCase(Locale.ROOT);
        if (t.isRepetition(Type.Repetition.REPEATED)) {
            return "repeated " + p;
        }
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        return a == null ? p : p + " (" + a.toString().toLowerCase(Locale.ROOT) + ")";
    }

    /**
     * One row's values by column: the bytes of a string, the Long of an integer id, null where the
     * row holds null. Decoding is left to the reader, which decodes UTF-8 strictly and reports.
     */
    RecordMaterializer<Object[]> materializer() {
        Object[] row = new Object[count()];
        Converter[] columns = new Converter[count()];
        for (int i = 0; i < columns.length; i++) {
            int at = i;
            columns[i] = new PrimitiveConverter() {
                @Override
                public void addBinary(Binary value) {
                    row[at] = value.getBytes(); // a copy: the page buffer is reused
                }

                @Override
                public void addInt(int value) {
                    row[at] = (long) value;
                }

                @Override
                public void addLong(long value) {
                    row[at] = value;
                }
            };
        }
        GroupConverter root = new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return columns[fieldIndex];
            }

            @Override
            public void start() {
                Arrays.fill(row, null);
            }

            @Override
            public void end() {
            }
        };
        return new RecordMaterializer<>() {
            @Override
            public Object[] getCurrentRecord() {
                return row;
            }

            @Override
            public GroupConverter getRootConverter() {
                return root;
            }
        };
    }
}
