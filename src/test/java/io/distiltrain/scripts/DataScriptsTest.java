package io.distiltrain.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-scripts/get-*-data.sh scripts against a fake Wikimedia mirror (file:// URLs) and a fake
 * Hugging Face Hub (an HTTP server on 127.0.0.1 that answers the tree API and serves files with
 * byte ranges), with a stub in place of the jar that records the arguments prepare-data gets:
 * files land complete and verified, a partial download is resumed, a wrong checksum fails in one
 * line and leaves no file, a rerun downloads nothing, and prepare-data sees the right sources.
 */
class DataScriptsTest {
    private static final Path SCRIPTS = Path.of("data-scripts").toAbsolutePath();
    private static final String DATE = "20261101";

    @TempDir
    Path tmp;

    private Path mirror;
    private Path downloads;
    private Path tokenizer;
    private Path argsFile;
    private Path stub;
    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** While true, every download answers 503. */
    private volatile boolean failing;

    @BeforeAll
    static void bashAndCurl() {
        assumeTrue(succeeds("bash", "-c", "command -v curl"), "bash and curl are needed to run the data scripts");
    }

    @BeforeEach
    void setUp() throws IOException {
        mirror = Files.createDirectories(tmp.resolve("mirror"));
        downloads = tmp.resolve("downloads");
        tokenizer = Files.createDirectories(tmp.resolve("teacher"));
        argsFile = tmp.resolve("prepare-args.txt");
        stub = tmp.resolve("stub-distil-train.sh");
        // Records its arguments, one a line; answers --help as a jar that reads parquet: sources
        // when STUB_PARQUET=1.
        Files.writeString(stub, String.join("\n",
                "#!/usr/bin/env bash",
                "for a in \"$@\"; do if [[ $a == --help ]]; then",
                "  [[ ${STUB_PARQUET:-0} == 1 ]] && echo '  FILE...  corpus sources (wikipedia:, parquet:, ...)'",
                "  exit 0; fi; done",
                "printf '%s\\n' \"$@\" > '" + argsFile + "'",
                "if [[ -n ${STUB_MANIFEST:-} ]]; then mkdir -p \"$(dirname \"$STUB_MANIFEST\")\"; echo '{}' > \"$STUB_MANIFEST\"; fi",
                ""));
        assertTrue(stub.toFile().setExecutable(true));
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    // ---- Wikimedia dumps (DistilmBERT's default path) ---------------------------------------

    @Test
    void dumpsAreDownloadedResumedVerifiedAndPreparedOncePerWiki() throws Exception {
        Map<String, byte[]> dumps = new HashMap<>();
        for (String db : List.of("enwiki", "dewiki", "zhwiki")) {
            dumps.put(db, publishDump(db, DATE, true));
        }
        // An interrupted download: the first half of enwiki's dump.
        Path en = downloads.resolve("wikipedia/" + dumpName("enwiki", DATE));
        Files.createDirectories(en.getParent());
        byte[] enDump = dumps.get("enwiki");
        Files.write(Path.of(en + ".part"), Arrays.copyOf(enDump, enDump.length / 2));
        Path languages = Files.writeString(tmp.resolve("languages.txt"),
                "# a comment\nen        English\nde        German\n\nzh-hans   Chinese (Simplified)\nzh-hant   Chinese (Traditional)\n");

        ScriptRun run = mbert("--languages", languages.toString());
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("4 languages in " + languages + ": 3 Wikipedias"), run.output());
        assertTrue(run.output().contains("resuming " + dumpName("enwiki", DATE) + " from byte " + enDump.length / 2),
                run.output());
        for (String db : List.of("enwiki", "dewiki", "zhwiki")) {
            Path dump = downloads.resolve("wikipedia/" + dumpName(db, DATE));
            assertArrayEquals(dumps.get(db), Files.readAllBytes(dump), db);
            assertTrue(Files.exists(downloads.resolve("wikipedia/" + indexName(db, DATE))), db);
        }
        assertNoPartFiles();
        List<String> expected = new ArrayList<>(List.of("prepare-data", "--tokenizer", tokenizer.toString(),
                "--output", tmp.resolve("prepared").toString(), "--threads", "2"));
        for (String db : List.of("enwiki", "dewiki", "zhwiki")) {
            expected.add("wikipedia:" + downloads.resolve("wikipedia/" + dumpName(db, DATE)));
        }
        assertEquals(expected, prepareArgs());

        // A rerun downloads nothing and hashes nothing: every file has its verified note.
        Files.delete(argsFile);
        ScriptRun again = mbert("--languages", languages.toString());
        assertEquals(0, again.exit(), again.output());
        assertFalse(again.output().contains("downloading"), again.output());
        assertFalse(again.output().contains("checking the sha1"), again.output());
        assertTrue(again.output().contains("have " + dumpName("zhwiki", DATE) + " (sha1 verified)"), again.output());
        assertEquals(expected, prepareArgs());

        // A file changed on disk is checked again, found wrong, and downloaded anew.
        Path de = downloads.resolve("wikipedia/" + dumpName("dewiki", DATE));
        Files.write(de, "damaged".getBytes(StandardCharsets.UTF_8));
        ScriptRun repaired = mbert("--languages", languages.toString(), "--download-only");
        assertEquals(0, repaired.exit(), repaired.output());
        assertTrue(repaired.output().contains(dumpName("dewiki", DATE) + " does not match its published sha1"),
                repaired.output());
        assertArrayEquals(dumps.get("dewiki"), Files.readAllBytes(de));
    }

    @Test
    void aWrongChecksumFailsInOneLineAndLeavesNoFile() throws Exception {
        publishDump("enwiki", DATE, false);
        Path languages = Files.writeString(tmp.resolve("languages.txt"), "en English\n");

        ScriptRun run = mbert("--languages", languages.toString());
        assertEquals(2, run.exit(), run.output());
        String name = dumpName("enwiki", DATE);
        assertTrue(run.output().contains("error: " + name + " does not match its published sha1"), run.output());
        assertTrue(run.output().strip().endsWith("run again to download it anew (if it fails again, check the date and the mirror)"),
                run.output());
        assertFalse(Files.exists(downloads.resolve("wikipedia/" + name)));
        assertFalse(Files.exists(downloads.resolve("wikipedia/" + name + ".part")));
        assertFalse(Files.exists(argsFile), "prepare-data must not run");
    }

    @Test
    void anUnfinishedRunOrAMissingWikiIsReportedWithTheFix() throws Exception {
        publishDump("enwiki", DATE, true);
        Path sums = mirror.resolve("enwiki/" + DATE + "/enwiki-" + DATE + "-sha1sums.txt");
        Files.writeString(sums, Files.readAllLines(sums).get(0) + "\n"); // the dump's line only
        Path en = Files.writeString(tmp.resolve("en.txt"), "en\n");
        ScriptRun unfinished = mbert("--languages", en.toString());
        assertEquals(2, unfinished.exit(), unfinished.output());
        assertTrue(unfinished.output().contains("is not in enwiki-" + DATE + "-sha1sums.txt yet: that run is unfinished"),
                unfinished.output());

        Path fr = Files.writeString(tmp.resolve("fr.txt"), "fr\n");
        ScriptRun missing = mbert("--languages", fr.toString());
        assertEquals(2, missing.exit(), missing.output());
        assertTrue(missing.output().contains("error: file://" + mirror + "/frwiki/" + DATE + "/frwiki-" + DATE
                + "-sha1sums.txt: cannot download it"), missing.output());
    }

    @Test
    void latestIsTheRunItsRssFeedNames() throws Exception {
        byte[] dump = publishDump("dewiki", DATE, true);
        Path latest = Files.createDirectories(mirror.resolve("dewiki/latest"));
        Files.writeString(latest.resolve("dewiki-latest-pages-articles-multistream.xml.bz2-rss.xml"),
                "<rss><channel><item><link>https://dumps.wikimedia.org/dewiki/" + DATE + "</link></item></channel></rss>");
        Path de = Files.writeString(tmp.resolve("de.txt"), "de\n");
        ScriptRun run = mbert("--languages", de.toString(), "--date", "latest", "--download-only");
        assertEquals(0, run.exit(), run.output());
        assertArrayEquals(dump, Files.readAllBytes(downloads.resolve("wikipedia/" + dumpName("dewiki", DATE))));
        assertFalse(Files.exists(argsFile));
    }

    // ---- DistilBERT: English Wikipedia and BookCorpus -----------------------------------------

    @Test
    void distilbertPreparesWikipediaAndBookCorpus() throws Exception {
        publishDump("enwiki", DATE, true);
        byte[] books = randomBytes(5000, 7);
        Path booksFile = Files.write(mirror.resolve("books1.tar"), books);

        ScriptRun run = script("get-distilbert-data.sh", Map.of(), "--bookcorpus", booksFile.toUri().toString(),
                "--bookcorpus-layout", "books", "--date", DATE);
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("*** BookCorpus has no published checksum: books1.tar is NOT verified"), run.output());
        Path got = downloads.resolve("bookcorpus/books1.tar");
        assertArrayEquals(books, Files.readAllBytes(got));
        assertEquals(List.of("prepare-data", "--tokenizer", tokenizer.toString(), "--output",
                tmp.resolve("prepared").toString(), "--threads", "2", "--lang", "en",
                "wikipedia:" + downloads.resolve("wikipedia/" + dumpName("enwiki", DATE)), "bookcorpus:" + got),
                prepareArgs());

        // The Hugging Face copy (one sentence a line in books_large_p1/p2.txt): text: sources, and a
        // training config in place of tokenizer and output, extra arguments passed through.
        Path hfCopy = Files.createDirectories(tmp.resolve("bookcorpus-hf"));
        Files.writeString(hfCopy.resolve("books_large_p2.txt"), "b\n");
        Files.writeString(hfCopy.resolve("books_large_p1.txt"), "a\n");
        Path config = Files.writeString(tmp.resolve("config.yaml"), "data: {}\n");
        ScriptRun lines = script("get-distilbert-data.sh", Map.of(), "--bookcorpus", hfCopy.toString(),
                "--config", config.toString(), "--", "--max-lines", "10");
        assertEquals(0, lines.exit(), lines.output());
        assertTrue(lines.output().contains("BookCorpus layout: lines"), lines.output());
        assertEquals(List.of("prepare-data", "--config", config.toString(), "--threads", "2", "--max-lines", "10", "--lang", "en",
                "wikipedia:" + downloads.resolve("wikipedia/" + dumpName("enwiki", DATE)),
                "text:" + hfCopy.resolve("books_large_p1.txt"), "text:" + hfCopy.resolve("books_large_p2.txt")),
                prepareArgs());

        // The same copy as its tar.bz2 from a URL, with a checksum: unpacked once, then text: sources.
        Path tarred = Files.createDirectories(tmp.resolve("tarred/bookcorpus"));
        Files.writeString(tarred.resolve("books_large_p1.txt"), "a\n");
        Files.writeString(tarred.resolve("books_large_p2.txt"), "b\n");
        Path archive = mirror.resolve("bookcorpus.tar.bz2");
        assertTrue(succeeds("tar", "-cjf", archive.toString(), "-C", tarred.getParent().toString(), "bookcorpus"));
        ScriptRun tar = script("get-distilbert-data.sh", Map.of(), "--bookcorpus", archive.toUri().toString(),
                "--bookcorpus-sha256", sha256(Files.readAllBytes(archive)));
        assertEquals(0, tar.exit(), tar.output());
        assertFalse(tar.output().contains("NOT verified"), tar.output());
        Path unpacked = downloads.resolve("bookcorpus/bookcorpus.tar.bz2.unpacked/bookcorpus");
        assertEquals(List.of("prepare-data", "--tokenizer", tokenizer.toString(), "--output",
                tmp.resolve("prepared").toString(), "--threads", "2", "--lang", "en",
                "wikipedia:" + downloads.resolve("wikipedia/" + dumpName("enwiki", DATE)),
                "text:" + unpacked.resolve("books_large_p1.txt"), "text:" + unpacked.resolve("books_large_p2.txt")),
                prepareArgs());

        ScriptRun none = script("get-distilbert-data.sh", Map.of());
        assertEquals(2, none.exit(), none.output());
        assertTrue(none.output().contains("error: BookCorpus has no official download: pass --bookcorpus"), none.output());
    }

    @Test
    void anAlreadyPreparedDatasetIsLeftAloneAndAMissingTokenizerStopsBeforeDownloading() throws Exception {
        publishDump("enwiki", DATE, true);
        Path prepared = Files.createDirectories(tmp.resolve("prepared"));
        Files.writeString(prepared.resolve("manifest.json"), "{}");
        ScriptRun run = script("get-distilbert-data.sh", Map.of(), "--no-bookcorpus");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("already prepared: " + prepared), run.output());
        assertFalse(Files.exists(argsFile));

        ScriptRun noTeacher = script("get-distilbert-data.sh", Map.of(), "--no-bookcorpus",
                "--tokenizer", tmp.resolve("nowhere").toString(), "--output", tmp.resolve("other").toString());
        assertEquals(2, noTeacher.exit(), noTeacher.output());
        assertTrue(noTeacher.output().contains("error: " + tmp.resolve("nowhere") + ": no tokenizer folder"), noTeacher.output());
        assertFalse(noTeacher.output().contains("downloading"), noTeacher.output());
    }

    @Test
    void theRealPrepareDataTakesWhatTheScriptPasses() throws Exception {
        // A real multistream dump (siteinfo, pages and footer as separate bzip2 streams, the index
        // pointing at the pages' stream) and a folder of books, prepared by this build's CLI.
        Path run = Files.createDirectories(mirror.resolve("enwiki/" + DATE));
        byte[] head = bzip2("<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.10/\" version=\"0.10\">\n"
                + "<siteinfo><dbname>enwiki</dbname><namespaces><namespace key=\"0\" case=\"first-letter\" />"
                + "</namespaces></siteinfo>\n");
        byte[] pages = bzip2("<page><title>Cat</title><ns>0</ns><id>1</id><revision><id>1</id><text xml:space=\"preserve\">"
                + "The [[cat]] is a small animal.\n\nIt sleeps a lot of the day.</text></revision></page>\n"
                + "<page><title>Dog</title><ns>0</ns><id>2</id><revision><id>2</id><text xml:space=\"preserve\">"
                + "The dog is a loyal friend.</text></revision></page>\n");
        byte[] foot = bzip2("</mediawiki>\n");
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        dump.write(head);
        dump.write(pages);
        dump.write(foot);
        Files.write(run.resolve(dumpName("enwiki", DATE)), dump.toByteArray());
        byte[] index = bzip2(head.length + ":1:Cat\n" + head.length + ":2:Dog\n");
        Files.write(run.resolve(indexName("enwiki", DATE)), index);
        Files.writeString(run.resolve("enwiki-" + DATE + "-sha1sums.txt"),
                sha1(dump.toByteArray()) + "  " + dumpName("enwiki", DATE) + "\n" + sha1(index) + "  " + indexName("enwiki", DATE) + "\n");
        Path books = Files.createDirectories(tmp.resolve("books"));
        Files.writeString(books.resolve("b1.txt"), "A book about things.\n\nIt was a dark and stormy night.\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        String cli = java + " -cp " + System.getProperty("java.class.path") + " io.distiltrain.cli.Main";
        assumeTrue(!System.getProperty("java.class.path").contains(" "), "a class path with spaces cannot go in DISTIL_TRAIN");
        Path out = tmp.resolve("prepared-real");

        ScriptRun prepared = script("get-distilbert-data.sh", Map.of("DISTIL_TRAIN", cli), "--bookcorpus", books.toString(),
                "--tokenizer", Path.of("quickstart/tokenizer").toAbsolutePath().toString(), "--output", out.toString());
        assertEquals(0, prepared.exit(), prepared.output());
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"kind\" : \"wikipedia\"") && manifest.contains("\"kind\" : \"bookcorpus\""), manifest);
        assertTrue(manifest.contains("\"documents_kept\" : 2"), manifest);
        assertTrue(manifest.contains("\"sequences\" : 5"), manifest);
        assertTrue(manifest.contains("\"en\" : {"), manifest);
    }

    private static byte[] bzip2(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new BZip2CompressorOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    // ---- DistilRoBERTa: OpenWebText over HTTP ---------------------------------------------------

    @Test
    void distilrobertaResumesOpenWebTextOverHttpAndChecksItsSha256() throws Exception {
        byte[] archive = randomBytes(40_000, 3);
        startServer();
        served.put("/files/openwebtext.tar.xz", archive);
        String url = baseUrl() + "/files/openwebtext.tar.xz?download=1";
        Path dest = downloads.resolve("openwebtext/openwebtext.tar.xz");
        Files.createDirectories(dest.getParent());
        Files.write(Path.of(dest + ".part"), Arrays.copyOf(archive, 15_000));

        ScriptRun run = script("get-distilroberta-data.sh", Map.of(), "--url", url, "--sha256", sha256(archive));
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("resuming openwebtext.tar.xz from byte 15000"), run.output());
        assertTrue(requests.contains("GET /files/openwebtext.tar.xz bytes=15000-"), requests.toString());
        assertArrayEquals(archive, Files.readAllBytes(dest));
        assertEquals(List.of("prepare-data", "--tokenizer", tokenizer.toString(), "--output",
                tmp.resolve("prepared").toString(), "--threads", "2", "--lang", "en", "openwebtext:" + dest), prepareArgs());

        // A partial file that is in fact complete (the server answers 416 to its range) is kept,
        // and one longer than the remote file is started over.
        for (byte[] partial : List.of(archive, randomBytes(50_000, 4))) {
            Files.delete(dest);
            Files.write(Path.of(dest + ".part"), partial);
            requests.clear();
            ScriptRun kept = script("get-distilroberta-data.sh", Map.of(), "--url", url, "--sha256", sha256(archive),
                    "--download-only");
            assertEquals(0, kept.exit(), kept.output());
            assertArrayEquals(archive, Files.readAllBytes(dest));
            assertEquals(partial == archive ? 1 : 2, requests.stream().filter(r -> r.startsWith("GET")).count(),
                    requests.toString());
        }

        // A server error keeps the partial file for the next run.
        Files.delete(dest);
        Files.delete(Path.of(dest + ".verified"));
        Files.write(Path.of(dest + ".part"), Arrays.copyOf(archive, 15_000));
        failing = true;
        ScriptRun failed = script("get-distilroberta-data.sh", Map.of(), "--url", url, "--sha256", sha256(archive),
                "--download-only");
        failing = false;
        assertEquals(2, failed.exit(), failed.output());
        assertTrue(failed.output().contains("stopped (curl exit 22) after 1 attempts; run the same command again to resume from "
                + dest + ".part"), failed.output());
        assertEquals(15_000, Files.size(Path.of(dest + ".part")));
        Files.delete(Path.of(dest + ".part"));

        ScriptRun wrong = script("get-distilroberta-data.sh", Map.of(), "--url", url, "--sha256", "0".repeat(64));
        assertEquals(2, wrong.exit(), wrong.output());
        assertTrue(wrong.output().contains("error: openwebtext.tar.xz does not match its published sha256"), wrong.output());
        assertFalse(Files.exists(dest));
        assertFalse(Files.exists(Path.of(dest + ".part")));
    }

    // ---- DistilmBERT from the Hub's Parquet files ----------------------------------------------

    @Test
    void parquetFilesComeFromTheHubListingAndAreCheckedAgainstItsSha256() throws Exception {
        assumeTrue(succeeds("bash", "-c", "command -v python3 || command -v jq"), "python3 or jq reads the Hub listing");
        startServer();
        byte[] en0 = randomBytes(30_000, 11);
        byte[] en1 = randomBytes(20_000, 12);
        byte[] zh0 = randomBytes(10_000, 13);
        hubFolder("20231101.en", Map.of("train-00000-of-00002.parquet", en0, "train-00001-of-00002.parquet", en1));
        hubFolder("20231101.zh", Map.of("train-00000-of-00001.parquet", zh0));
        Path hub = downloads.resolve("wikimedia-wikipedia");
        Path part = hub.resolve("20231101.en/train-00001-of-00002.parquet.part");
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(en1, 5_000));
        Path languages = Files.writeString(tmp.resolve("languages.txt"), "en\nzh-hans\nzh-hant\n");
        Map<String, String> env = Map.of("HF_ENDPOINT", baseUrl(), "STUB_PARQUET", "1");

        ScriptRun run = script("get-distilmbert-data.sh", env, "--parquet", "--languages", languages.toString());
        assertEquals(0, run.exit(), run.output());
        assertTrue(requests.contains("GET /api/datasets/wikimedia/wikipedia/tree/main/20231101.en "), requests.toString());
        assertTrue(requests.contains("GET /datasets/wikimedia/wikipedia/resolve/main/20231101.en/train-00001-of-00002.parquet bytes=5000-"),
                requests.toString());
        assertArrayEquals(en0, Files.readAllBytes(hub.resolve("20231101.en/train-00000-of-00002.parquet")));
        assertArrayEquals(en1, Files.readAllBytes(hub.resolve("20231101.en/train-00001-of-00002.parquet")));
        assertArrayEquals(zh0, Files.readAllBytes(hub.resolve("20231101.zh/train-00000-of-00001.parquet")));
        assertNoPartFiles();
        assertEquals(List.of("prepare-data", "--tokenizer", tokenizer.toString(), "--output",
                tmp.resolve("prepared").toString(), "--threads", "2",
                "parquet:" + hub + "/20231101.en/*.parquet", "parquet:" + hub + "/20231101.zh/*.parquet"), prepareArgs());

        // A rerun lists again (cheap) but downloads nothing.
        requests.clear();
        ScriptRun again = script("get-distilmbert-data.sh", env, "--parquet", "--languages", languages.toString());
        assertEquals(0, again.exit(), again.output());
        assertTrue(requests.stream().noneMatch(r -> r.contains("/resolve/")), requests.toString());

        // A dataset prepared without language tags is called out.
        Path prepared = tmp.resolve("prepared");
        Map<String, String> manifestEnv = new HashMap<>(env);
        manifestEnv.put("STUB_MANIFEST", prepared.resolve("manifest.json").toString());
        ScriptRun untagged = script("get-distilmbert-data.sh", manifestEnv, "--parquet", "--languages", languages.toString());
        assertEquals(0, untagged.exit(), untagged.output());
        assertTrue(untagged.output().contains("warning: *** " + prepared + " has no per-language counts"), untagged.output());
        Files.delete(prepared.resolve("manifest.json"));
        Files.delete(prepared);

        // A file whose bytes differ from the listing's SHA-256 fails and is not kept.
        served.put("/datasets/wikimedia/wikipedia/resolve/main/20231101.zh/train-00000-of-00001.parquet",
                randomBytes(10_000, 99));
        Path zh = hub.resolve("20231101.zh/train-00000-of-00001.parquet");
        Files.delete(zh);
        ScriptRun wrong = script("get-distilmbert-data.sh", env, "--parquet", "--languages", languages.toString(),
                "--download-only");
        assertEquals(2, wrong.exit(), wrong.output());
        assertTrue(wrong.output().contains("error: train-00000-of-00001.parquet does not match its published sha256"),
                wrong.output());
        assertFalse(Files.exists(zh));

        // A language the snapshot lacks, and a jar whose prepare-data reads no parquet: sources.
        Path xx = Files.writeString(tmp.resolve("xx.txt"), "xx\n");
        ScriptRun missing = script("get-distilmbert-data.sh", env, "--parquet", "--languages", xx.toString());
        assertEquals(2, missing.exit(), missing.output());
        assertTrue(missing.output().contains("error: wikimedia/wikipedia has no 20231101.xx at main"), missing.output());
        ScriptRun oldJar = script("get-distilmbert-data.sh", Map.of("HF_ENDPOINT", baseUrl()), "--parquet",
                "--languages", languages.toString());
        assertEquals(2, oldJar.exit(), oldJar.output());
        assertTrue(oldJar.output().contains("error: this jar's prepare-data reads no parquet: sources yet"), oldJar.output());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static String dumpName(String db, String date) {
        return db + "-" + date + "-pages-articles-multistream.xml.bz2";
    }

    private static String indexName(String db, String date) {
        return db + "-" + date + "-pages-articles-multistream-index.txt.bz2";
    }

    /** A run folder with a dump, its index and sha1sums (the dump's sum wrong unless rightSum). */
    private byte[] publishDump(String db, String date, boolean rightSum) throws Exception {
        Path run = Files.createDirectories(mirror.resolve(db + "/" + date));
        byte[] dump = randomBytes(20_000 + db.length(), db.hashCode());
        byte[] index = randomBytes(3_000, db.hashCode() + 1);
        Files.write(run.resolve(dumpName(db, date)), dump);
        Files.write(run.resolve(indexName(db, date)), index);
        String dumpSum = rightSum ? sha1(dump) : sha1(index);
        Files.writeString(run.resolve(db + "-" + date + "-sha1sums.txt"),
                dumpSum + "  " + dumpName(db, date) + "\n"
                        + sha1(index) + "  " + indexName(db, date) + "\n"
                        + sha1(new byte[0]) + "  " + db + "-" + date + "-stub-articles.xml.gz\n");
        return dump;
    }

    private ScriptRun mbert(String... args) throws Exception {
        return script("get-distilmbert-data.sh", Map.of(), args);
    }

    private ScriptRun script(String name, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPTS.resolve(name).toString(),
                "--dir", downloads.toString(), "--threads", "2"));
        boolean hasConfig = Arrays.asList(args).contains("--config");
        boolean ownsOutput = Arrays.asList(args).contains("--tokenizer");
        if (!hasConfig && !ownsOutput) {
            command.addAll(List.of("--tokenizer", tokenizer.toString(), "--output", tmp.resolve("prepared").toString()));
        }
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().put("DISTIL_TRAIN", stub.toString());
        pb.environment().put("DUMPS_BASE_URL", mirror.toUri().toString().replaceAll("/$", ""));
        pb.environment().put("FETCH_ATTEMPTS", "1");
        pb.environment().put("FETCH_RETRIES", "0");
        pb.environment().remove("HF_TOKEN");
        pb.environment().remove("BOOKCORPUS");
        pb.environment().putAll(env);
        return ScriptRun.of(pb, 120);
    }

    private List<String> prepareArgs() throws IOException {
        assertTrue(Files.exists(argsFile), "prepare-data was not called");
        return Files.readAllLines(argsFile);
    }

    private void assertNoPartFiles() throws IOException {
        try (Stream<Path> files = Files.walk(downloads)) {
            List<Path> parts = files.filter(f -> f.toString().endsWith(".part")).toList();
            assertEquals(List.of(), parts);
        }
    }

    /** Serves each folder's tree listing as the Hub API does, and its files under resolve/main/. */
    private void hubFolder(String folder, Map<String, byte[]> files) throws Exception {
        StringBuilder json = new StringBuilder("[");
        files.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String path = folder + "/" + e.getKey();
            served.put("/datasets/wikimedia/wikipedia/resolve/main/" + path, e.getValue());
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"type\":\"file\",\"oid\":\"").append("ab".repeat(20)).append("\",\"size\":")
                    .append(e.getValue().length).append(",\"lfs\":{\"oid\":\"").append(sha256(e.getValue()))
                    .append("\",\"size\":").append(e.getValue().length).append(",\"pointerSize\":135},\"path\":\"")
                    .append(path).append("\"}");
        });
        json.append(",{\"type\":\"directory\",\"oid\":\"").append("cd".repeat(20))
                .append("\",\"size\":0,\"path\":\"").append(folder).append("/extra\"}]");
        served.put("/api/datasets/wikimedia/wikipedia/tree/main/" + folder, json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** GET and HEAD, with "Range: bytes=N-" answered 206 (or 416 past the end), as the Hub's CDN does. */
    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(ex.getRequestMethod() + " " + path + " " + (range == null ? "" : range));
        byte[] body = served.get(path);
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (failing && !head) {
            ex.sendResponseHeaders(503, -1);
            ex.close();
            return;
        }
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        int start = 0;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            start = Integer.parseInt(range.substring(6, range.length() - 1));
            if (start >= body.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                ex.sendResponseHeaders(416, -1);
                ex.close();
                return;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
        }
        ex.getResponseHeaders().add("Accept-Ranges", "bytes");
        int length = body.length - start;
        if (head) {
            ex.getResponseHeaders().add("Content-Length", Integer.toString(length));
            ex.sendResponseHeaders(range != null ? 206 : 200, -1);
        } else {
            ex.sendResponseHeaders(range != null ? 206 : 200, length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body, start, length);
            }
        }
        ex.close();
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha1(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
