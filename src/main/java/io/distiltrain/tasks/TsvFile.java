package io.distiltrain.tasks;

import io.distiltrain.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A tab-separated file read as GLUE's readers read it: one row a line, cells split on every tab,
 * and no quote processing at all (transformers' processors use {@code csv.reader} with {@code
 * quotechar=None}, datasets' GLUE builder {@code QUOTE_NONE}), so a {@code "} is just a character
 * of the sentence. UTF-8; a leading byte-order mark is dropped, as {@code utf-8-sig} does (MRPC's
 * train.tsv and dev.tsv start with one). Lines end at \n, \r\n or \r, like Python's universal
 * newlines; blank lines are passed over.
 */
final class TsvFile {
    private TsvFile() {
    }

    /** Receives each non-blank line's cells with its 1-based line number. */
    interface Rows {
        void row(String[] cells, long line);
    }

    /**
     * Calls {@code rows} for every non-blank line, in order.
     *
     * @param what what the file should be, for messages, e.g. "SST-2's layout: header sentence\tlabel"
     * @return the number of non-blank lines
     */
    static long read(Path file, String what, Rows rows) {
        if (Files.isDirectory(file)) {
            throw new UserError(file + " is a folder; name the file in it (expected " + what + ")");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        long line = 0;
        long count = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder),
                1 << 16)) {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                line++;
                if (line == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                if (text.isEmpty()) {
                    continue;
                }
                count++;
                rows.row(text.split("\t", -1), line);
            }
        } catch (NoSuchFileException e) {
            throw new UserError(file + " does not exist; expected " + what);
        } catch (CharacterCodingException e) {
            throw new UserError(file + ", line " + (line + 1) + ": not UTF-8 text; expected " + what
                    + ", saved as UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        if (count == 0) {
            throw new UserError(file + " is empty; expected " + what);
        }
        return count;
    }
}
