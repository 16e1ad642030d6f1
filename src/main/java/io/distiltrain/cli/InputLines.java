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
                    }
                    line = read(reader, current);
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
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(BufferedReader reader, Path file) {
        try {
            return reader.readLine();
        } catch (CharacterCodingException e) {
            close(reader, file);
            throw new UserError(file + " is not UTF-8 text; convert it first (e.g. with iconv)", e);
        } catch (IOException e) {
            close(reader, file);
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void close(BufferedReader reader, Path file) {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
