package io.distiltrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** corpus extract through the command line: kinds by name or prefix, the report, the JSONL. */
class CorpusCommandTest {
    @TempDir
    Path tmp;

    private static final String DUMP = String.join("\n",
            "<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.11/\" version=\"0.11\" xml:lang=\"de\">",
            "  <siteinfo><sitename>Wikipedia</sitename><dbname>dewiki</dbname>",
            "    <namespaces><namespace key=\"0\" case=\"first-letter\" /><namespace key=\"6\" case=\"first-letter\">Datei</namespace>",
            "    <namespace key=\"14\" case=\"first-letter\">Kategorie</namespace></namespaces></siteinfo>",
            "  <page><title>Berlin</title><ns>0</ns><id>7</id><revision><id>1</id><text xml:space=\"preserve\">"
                    + "'''Berlin''' ist die [[Hauptstadt]] von [[Deutschland|Deutschland]].{{Infobox|a={{b}}}}"
                    + "[[Datei:Berlin.jpg|mini|Ein [[Bild]]]]&lt;ref&gt;Quelle&lt;/ref&gt;\n\n[[Kategorie:Stadt]]</text>"
                    + "</revision></page>",
            "  <page><title>Hauptstadt</title><ns>0</ns><id>8</id><redirect title=\"Kapitale\" /><revision><id>2</id>"
                    + "<text xml:space=\"preserve\">#WEITERLEITUNG [[Kapitale]]</text></revision></page>",
            "</mediawiki>", "");

    @Test
    void extractsSeveralKindsIntoOneJsonlFile() throws Exception {
        Path dump = tmp.resolve("dewiki-20240101-pages-articles.xml.bz2");
        try (OutputStream out = new BZip2CompressorOutputStream(Files.newOutputStream(dump))) {
            out.write(DUMP.getBytes(StandardCharsets.UTF_8));
        }
        Path jsonl = Files.writeString(tmp.resolve("docs.jsonl"),
                "{\"id\": 1, \"text\": \"Ein Satz.\"}\n{\"text\": 5}\n{\"id\": 3, \"text\": \"Ein Satz.\"}\n");
        Path text = Files.writeString(tmp.resolve("lines.data"), "erste Zeile\n\nzweite Zeile\n");
        Path out = tmp.resolve("out.jsonl");
        CliRun run = CliRun.of("corpus", "extract", "--output", out.toString(), dump.toString(), jsonl.toString(),
                "text:" + text);
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = Files.readAllLines(out);
        ObjectMapper json = new ObjectMapper();
        JsonNode berlin = json.readTree(lines.get(0));
        assertEquals("7", berlin.get("id").asText());
        assertEquals("Berlin", berlin.get("title").asText());
        assertEquals("de", berlin.get("lang").asText());
        assertEquals("Berlin ist die Hauptstadt von Deutschland.", berlin.get("text").asText());
        assertEquals(List.of("Ein Satz.", "erste Zeile", "zweite Zeile"),
                lines.subList(1, lines.size()).stream().map(l -> {
                    try {
                        return json.readTree(l).get("text").asText();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }).toList());
        assertTrue(run.out().contains(dump + ": "), run.out());
        assertTrue(run.out().contains("2 read, 1 kept, skipped 1 redirect"), run.out());
        assertTrue(run.out().contains("3 read, 1 kept, skipped 1 duplicate, 1 malformed"), run.out());
        assertTrue(run.out().contains("wrote 4 documents -> " + out), run.out());
        assertTrue(run.err().contains("line 2"), "the bad JSONL line is reported with its position: " + run.err());
    }

    @Test
    void strictStopsAtTheFirstBadRecordAndWritesNothing() throws Exception {
        Path jsonl = Files.writeString(tmp.resolve("docs.jsonl"), "{\"text\": \"a\"}\nnot json\n");
        Path out = tmp.resolve("out.jsonl");
        CliRun run = CliRun.of("corpus", "extract", "--strict", "--output", out.toString(), jsonl.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.oneErrorLine() && run.err().contains("line 2"), run.err());
        assertTrue(Files.notExists(out));
    }

    @Test
    void anExistingOutputIsNeverOverwritten() throws Exception {
        Path out = Files.writeString(tmp.resolve("out.jsonl"), "mine");
        Path text = Files.writeString(tmp.resolve("a.txt"), "x\n");
        CliRun run = CliRun.of("corpus", "extract", "--output", out.toString(), text.toString());
        assertEquals(2, run.exitCode());
        assertEquals("mine", Files.readString(out));
    }

    @Test
    void extractsParquetByPrefixOrByNameWithTheLanguageGiven() throws Exception {
        Path wiki = resource("/parquet/wikipedia/train-00000-of-00002.parquet");
        Path books = resource("/parquet/bookcorpus-lz4.parquet");
        Path out = tmp.resolve("out.jsonl");
        CliRun run = CliRun.of("corpus", "extract", "--lang", "xx", "--output", out.toString(), "parquet:" + wiki,
                books.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = Files.readAllLines(out);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals("12", first.get("id").asText());
        assertEquals("Anarchism", first.get("title").asText());
        assertEquals("xx", first.get("lang").asText());
        assertEquals("Москва", json.readTree(lines.get(2)).get("title").asText());
        JsonNode book = json.readTree(lines.get(4));
        assertEquals("bookcorpus-lz4.parquet:0", book.get("id").asText());
        assertEquals("The sun rose over the hills.", book.get("text").asText());
        assertEquals(7, lines.size());
        assertTrue(run.out().contains("4 read, 4 kept"), run.out());
        assertTrue(run.out().contains("4 read, 3 kept, skipped 1 empty"), run.out());
        assertTrue(run.out().contains("wrote 7 documents -> " + out), run.out());
    }

    @Test
    void aParquetFileWithoutTheTextColumnIsOneLineNamingTheFix() throws Exception {
        Path file = resource("/parquet/no-text.parquet");
        Path out = tmp.resolve("out.jsonl");
        CliRun run = CliRun.of("corpus", "extract", "--output", out.toString(), file.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.oneErrorLine(), run.err());
        assertTrue(run.err().contains(file + ": no column \"text\"; its columns are id, title, body; name the one "
                + "that holds the text with --text-field NAME"), run.err());
        assertTrue(Files.notExists(out));
    }

    @Test
    void aTruncatedParquetFileIsOneLine() throws Exception {
        byte[] whole = Files.readAllBytes(resource("/parquet/wikipedia-zstd.parquet"));
        Path file = Files.write(tmp.resolve("cut.parquet"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Path out = tmp.resolve("out.jsonl");
        CliRun run = CliRun.of("corpus", "extract", "--output", out.toString(), file.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.oneErrorLine(), run.err());
        assertTrue(run.err().contains(file + ": a Parquet file cut short"), run.err());
        assertTrue(Files.notExists(out));
    }

    private static Path resource(String name) throws Exception {
        return Path.of(CorpusCommandTest.class.getResource(name).toURI());
    }
}
