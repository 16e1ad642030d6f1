package io.distiltrain.tokenizer;

import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** File reads for user-supplied folders: an unreadable file is reported as a UserError. */
final class UserFiles {
    private UserFiles() {}

    static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The lines of a UTF-8 text file without their terminators. Like Python's universal newlines
     * (which transformers relies on when it reads vocab.txt), \n, \r\n and \r all end a line, and a
     * final terminator does not start an extra empty line.
     */
    static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + " as UTF-8 text: " + e.getMessage(), e);
        }
    }
}
