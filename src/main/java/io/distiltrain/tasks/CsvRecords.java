package io.distiltrain.tasks;

import io.distiltrain.UserError;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records: fields separated by commas, records by CRLF or LF (a lone CR too); a field in
 * double quotes may hold commas, line breaks and quotes written twice ({@code ""}). A quote inside
 * an unquoted field, text after a closing quote, or a quote left open at the end is an error naming
 * the line, since each means the file is not the CSV it claims to be and guessing would shift
 * columns silently.
 */
final class CsvRecords {
    private final Reader in;
    private final Path file;
    private long line = 1;
    private int pushedBack = -2;

    /** One record and the line it starts on. */
    record Record(List<String> fields, long line) {
    }

    CsvRecords(Reader in, Path file) {
        this.in = in;
        this.file = file;
    }

    /** The next record, or null at the end of the file. Blank lines are passed over. */
    Record next() throws IOException {
        int c = read();
        while (c == '\r' || c == '\n') {
            endLine(c);
            c = read();
        }
        if (c == -1) {
            return null;
        }
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            if (c == '"' && field.isEmpty()) {
                c = quoted(field, start);
            } else {
                while (c != ',' && c != '\r' && c != '\n' && c != -1) {
                    if (c == '"') {
                        throw error(line, "a quote inside an unquoted field; quote the whole field and write "
                                + "the quote twice (\"\")");
                    }
                    field.append((char) c);
                    c = read();
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (c != ',') {
                if (c != -1) {
                    endLine(c);
                }
                return new Record(fields, start);
            }
            c = read();
        }
    }

    /** Reads a quoted field after its opening quote; returns the character after the closing one. */
    private int quoted(StringBuilder field, long start) throws IOException {
        while (true) {
            int c = read();
            if (c == -1) {
                throw error(start, "a quoted field is never closed; close it with a quote");
            }
            if (c == '"') {
                int after = read();
                if (after != '"') {
                    if (after != ',' && after != '\r' && after != '\n' && after != -1) {
                        throw error(line, "text after a closing quote; quote the whole field and write "
                                + "quotes inside it twice (\"\")");
                    }
                    return after;
                }
            } else if (c == '\n' || (c == '\r' && peekNot('\n'))) {
                line++;
            }
            field.append((char) c);
        }
    }

    /** Counts the line break {@code c} and consumes the LF of a CRLF. */
    private void endLine(int c) throws IOException {
        line++;
        if (c == '\r') {
            int next = read();
            if (next != '\n') {
                pushedBack = next;
            }
        }
    }

    /** Whether the next character is not {@code c} (it stays unread). */
    private boolean peekNot(int c) throws IOException {
        pushedBack = in.read();
        return pushedBack != c;
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }

    private UserError error(long at, String what) {
        return new UserError(file + ", line " + at + ": " + what);
    }
}
