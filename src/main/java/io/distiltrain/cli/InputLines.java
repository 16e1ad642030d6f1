package io.distiltrain.cli;

import io.distiltrain.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The lines of some UTF-8 text files, one file after the other, read as they are iterated so
 * that a corpus never has to fit in memory. Iterable again and again (a vocabulary is built in
 * one pass and measured in another). Each file is closed when its last line has been read, so
 * callers iterate to the end.
 */
final class InputLines implements Iterable<String> {
    private final List<Path> files;

    InputLines(List<Path> files) {
        this.files = List.copyOf(files);
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {
            private int next; // index of the next file to open
            private BufferedReader reader;
            private Path current;
            private long lineNumber; // of the line last read in the current file
            private String line;

            @Override
            public boolean hasNext() {
                while (line == null) {
                    if (reader == null) {
                        if (next == files.size()) {
                            return false;
                        }
                        current = files.get(next++);
                        reader = open(current);
                        lineNumber = 0;
                    }
                    line = read(reader, current, lineNumber + 1);
                    lineNumber++;
                    if (line == null) {
                        close(reader, current);
                        reader = null;
                    }
                }
                return true;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String result = line;
                line = null;
                return result;
            }
        };
    }

    private static BufferedReader open(Path file) {
        try {
            // Strict UTF-8: a Latin-1 or binary file fails here instead of training on mojibake.
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError(IoProblems.describe("cannot read " + file, e), e);
        }
    }

    private static String read(BufferedReader reader, Path file, long lineNumber) {
        try {
            return reader.readLine();
        } catch (CharacterCodingException e) {
            close(reader, file);
            // The reader decodes ahead of the line it returns, so the bad bytes are at this line or a later one.
            throw new UserError(file + " is not UTF-8 text (the first bad byte is at line " + lineNumber
                    + " or later); convert it to UTF-8 first (e.g. iconv -f latin1 -t utf-8)", e);
        } catch (IOException e) {
            close(reader, file);
            throw new UserError(IoProblems.describe("cannot read " + file, e), e);
        }
    }

    private static void close(BufferedReader reader, Path file) {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UserError(IoProblems.describe("cannot read " + file, e), e);
        }
    }
}
