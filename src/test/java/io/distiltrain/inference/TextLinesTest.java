package io.distiltrain.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLinesTest {
    @TempDir
    Path tmp;

    @Test
    void readsLinesAsFilesReadAllLinesDoes() throws Exception {
        Path f = Files.writeString(tmp.resolve("a.txt"), "\uFEFFcafé\r\nzwei\n\ndrei\rvier\n", StandardCharsets.UTF_8);
        assertEquals(List.of("café", "zwei", "", "drei", "vier"), TextLines.read(f));
        assertEquals(List.of(), TextLines.read(Files.write(tmp.resolve("empty.txt"), new byte[0])));
    }

    @Test
    void latin1SaysLineAndByte() throws Exception {
        Path f = Files.write(tmp.resolve("latin1.txt"), new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        TextLines.NotText e = assertThrows(TextLines.NotText.class, () -> TextLines.read(f));
        assertEquals(2, e.line);
        assertEquals(6, e.byteOffset);
        assertEquals(0xE9, e.badByte);
        assertTrue(e.getMessage().contains("latin1.txt is not UTF-8 text: byte 0xE9 at line 2 (byte offset 6)"),
                e.getMessage());
    }

    @Test
    void binaryIsNotText() throws Exception {
        Path f = Files.write(tmp.resolve("model.bin"), new byte[] {'P', 'K', 3, 4, 0, 0, (byte) 0xFF});
        TextLines.NotText e = assertThrows(TextLines.NotText.class, () -> TextLines.read(f));
        assertTrue(e.nul());
        assertEquals(1, e.line);
        assertEquals(4, e.byteOffset);
        Path truncated = Files.write(tmp.resolve("cut.txt"), new byte[] {'a', (byte) 0xC3});
        assertEquals(1, assertThrows(TextLines.NotText.class, () -> TextLines.read(truncated)).byteOffset,
                "a sequence cut off at the end of the file");
    }

    @Test
    void unreadableIsAnIoProblem() {
        assertThrows(UncheckedIOException.class, () -> TextLines.read(tmp.resolve("missing.txt")));
    }
}
