package io.distiltrain.bench;

import io.distiltrain.corpus.Compression;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Untimed set-up of the parse + clean stage: a dump cut into one plain XML dump per thread. */
final class DumpParts {
    private DumpParts() {
    }

    /**
     * The decompressed dump cut into {@code parts} plain XML dumps, each the header, every
     * {@code parts}-th run of 100 pages (of the first {@code maxPages}) and the closing tag (untimed
     * set-up for parse + clean).
     */
    static List<Path> split(List<Path> files, int parts, Path dir, long maxPages) throws IOException {
        Files.createDirectories(dir);
        List<Path> paths = new ArrayList<>();
        List<Writer> writers = new ArrayList<>();
        try {
            for (int i = 0; i < parts; i++) {
                paths.add(dir.resolve("part-" + i + "-pages-articles.xml"));
                writers.add(Files.newBufferedWriter(paths.get(i), StandardCharsets.UTF_8));
            }
            StringBuilder header = new StringBuilder();
            boolean inHeader = true;
            long page = 0;
            Writer w = null;
            for (Path f : files) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(Compression.of(f).open(
                        new BufferedInputStream(Files.newInputStream(f), 1 << 16)), StandardCharsets.UTF_8), 1 << 16)) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        String s = line.strip();
                        if (inHeader && !s.startsWith("<page>")) {
                            header.append(line).append('\n');
                            continue;
                        }
                        if (inHeader) {
                            inHeader = false;
                            for (Writer x : writers) {
                                x.write(header.toString());
                            }
                        }
                        if (s.startsWith("<page>")) {
                            if (page == maxPages) {
                                break;
                            }
                            w = writers.get((int) (page++ / 100 % parts));
                        }
                        if (s.equals("</mediawiki>")) {
                            continue;
                        }
                        w.write(line);
                        w.write('\n');
                    }
                }
            }
            for (Writer x : writers) {
                x.write("</mediawiki>\n");
            }
        } finally {
            for (Writer x : writers) {
                x.close();
            }
        }
        return paths;
    }
}
