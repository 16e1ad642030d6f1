package io.distiltrain.corpus;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Plain text with one document a line (plain or compressed), as {@code data prepare} reads it:
 * a document is the stripped line; a blank line is counted EMPTY. The id is the line number, or
 * "{@code <file>:<line>}" when the file is one of a glob's several.
 */
public final class TextLinesReader extends LineRecords {
    public TextLinesReader(Path file, Problems problems) throws IOException {
        super(file, problems);
    }

    @Override
    protected Document parse(String line, long number) {
        String text = Text.strip(line);
        if (text.isEmpty()) {
            skips.add(SkipReason.EMPTY);
            return null;
        }
        return new Document(lineId(number), null, null, text);
    }
}
