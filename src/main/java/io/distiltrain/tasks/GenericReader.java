package io.distiltrain.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the rows of a user's own task file, JSON Lines ({@code jsonl}: one object a line) or CSV
 * ({@code csv}: RFC 4180 with a header row), taking the fields {@link TaskOptions} names. The text
 * fields must be strings; the label may be a string or a number (kept as written, e.g. "1"). A
 * file is labelled or not as a whole: in JSONL by whether its first row has the label field, in
 * CSV by whether the header has the label column; a row that breaks with the first is an error,
 * since it is usually a misspelt field name.
 */
final class GenericReader {
    /** Trailing tokens fail: "{...} {...}" on one line is two records glued together, not one. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A row before its label is interpreted: label null when the file is unlabelled. */
    record Row(String textA, String textB, String label, long line) {
    }

    private final boolean csv;
    private final TaskOptions options;

    GenericReader(boolean csv, TaskOptions options) {
        this.csv = csv;
        this.options = options;
    }

    List<Row> read(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserError(file + " is a folder; name the " + kind() + " file in it");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder),
                1 << 16)) {
            in.mark(1);
            if (in.read() != '\uFEFF') {
                in.reset();
            }
            if (csv) {
                readCsv(file, in, rows);
            } else {
                readJsonl(file, in, rows);
            }
        } catch (NoSuchFileException e) {
            throw new UserError(file + " does not exist; expected a " + kind() + " file");
        } catch (CharacterCodingException e) {
            throw new UserError(file + ": not UTF-8 text (after line " + (rows.isEmpty() ? 0
                    : rows.get(rows.size() - 1).line()) + "); save it as UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        if (rows.isEmpty()) {
            throw new UserError(file + " has no examples; expected a " + kind() + " file with fields \""
                    + options.textField() + "\"" + (options.textPairField() == null ? ""
                            : ", \"" + options.textPairField() + "\"") + " and \"" + options.labelField() + "\"");
        }
        return rows;
    }

    private void readJsonl(Path file, BufferedReader in, List<Row> rows) throws IOException {
        long number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw bad(file, number, "invalid JSON (" + e.getOriginalMessage() + ")");
            }
            if (!node.isObject()) {
                throw bad(file, number, "not a JSON object");
            }
            String a = text(file, number, node, options.textField());
            String b = options.textPairField() == null ? null : text(file, number, node, options.textPairField());
            JsonNode label = node.get(options.labelField());
            String cell = null;
            if (label != null && !label.isNull()) {
                if (!label.isTextual() && !label.isNumber() && !label.isBoolean()) {
                    throw bad(file, number, "\"" + options.labelField() + "\" is a " + type(label)
                            + ", not a string or number");
                }
                cell = label.asText();
            }
            add(file, rows, new Row(a, b, cell, number));
        }
    }

    private void readCsv(Path file, Reader in, List<Row> rows) throws IOException {
        CsvRecords records = new CsvRecords(in, file);
        CsvRecords.Record header = records.next();
        if (header == null) {
            return;
        }
        int a = column(file, header, options.textField(), true);
        int b = options.textPairField() == null ? -1 : column(file, header, options.textPairField(), true);
        int label = column(file, header, options.labelField(), false);
        for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
            if (r.fields().size() != header.fields().size()) {
                throw bad(file, r.line(), r.fields().size() + " fields, but the header has " + header.fields().size());
            }
            List<String> f = r.fields();
            add(file, rows, new Row(f.get(a), b < 0 ? null : f.get(b), label < 0 ? null : f.get(label), r.line()));
        }
    }

    /** Adds a row, holding it to the first row's being labelled or not. */
    private void add(Path file, List<Row> rows, Row row) {
        if (row.label() != null && row.label().isBlank()) {
            throw bad(file, row.line(), "the \"" + options.labelField() + "\" field is empty");
        }
        if (!rows.isEmpty() && (rows.get(0).label() == null) != (row.label() == null)) {
            throw bad(file, row.line(), row.label() == null
                    ? "no \"" + options.labelField() + "\" field, but line " + rows.get(0).line() + " has one"
                    : "a \"" + options.labelField() + "\" field, but line " + rows.get(0).line()
                            + " has none; label every example or none (a test file)");
        }
        rows.add(row);
    }

    private int column(Path file, CsvRecords.Record header, String name, boolean required) {
        int i = header.fields().indexOf(name);
        if (i < 0 && required) {
            throw new UserError(file + ", line 1: the header (" + String.join(",", header.fields())
                    + ") has no column \"" + name + "\"; name the text columns with the task's field options");
        }
        return i;
    }

    private static String text(Path file, long line, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw bad(file, line, "no \"" + field + "\" field");
        }
        if (!v.isTextual()) {
            throw bad(file, line, "\"" + field + "\" is a " + type(v) + ", not a string");
        }
        return v.textValue();
    }

    private static String type(JsonNode v) {
        return v.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private String kind() {
        return csv ? "CSV (RFC 4180, header row)" : "JSON Lines";
    }

    private static UserError bad(Path file, long line, String what) {
        return new UserError(file + ", line " + line + ": " + what + "; fix the row");
    }
}
