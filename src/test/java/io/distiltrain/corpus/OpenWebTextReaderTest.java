package io.distiltrain.corpus;

import static io.distiltrain.corpus.Samples.drain;
import static io.distiltrain.corpus.Samples.entries;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenWebTextReaderTest {
    private static final String M1 = "openwebtext/urlsf_subset00-1_data.xz";
    private static final String M2 = "openwebtext/urlsf_subset00-2_data.xz";

    @TempDir
    Path dir;

    /** A member as published: an xz-compressed tar of .txt pages. */
    private static byte[] member(String prefix) throws IOException {
        return Samples.xz(Samples.tar(entries(
                prefix + "-a.txt", "Page " + prefix + " a.\n\nIts second paragraph.\n",
                prefix + "-b.txt", "Page " + prefix + " b.",
                prefix + "-c.txt", "Page " + prefix + " c.\r\n\r\n\r\nEnd.")));
    }

    /** openwebtext.tar.xz: a directory entry, then the members. */
    private Path archive(byte[] m1, byte[] m2) throws IOException {
        Map<String, byte[]> outer = new LinkedHashMap<>();
        outer.put("openwebtext/", new byte[0]);
        outer.put(M1, m1);
        outer.put(M2, m2);
        return Samples.write(dir.resolve("openwebtext.tar.xz"), Samples.xz(Samples.tar(outer)));
    }

    @Test
    void readsEveryPageOfEveryNestedMemberInOrder() throws IOException {
        Path file = archive(member("0001"), member("0002"));

        Samples.Drained d = drain(new OpenWebTextReader(file, Samples.strict()));

        assertEquals(List.of(M1 + "/0001-a.txt", M1 + "/0001-b.txt", M1 + "/0001-c.txt",
                M2 + "/0002-a.txt", M2 + "/0002-b.txt", M2 + "/0002-c.txt"), d.ids());
        assertEquals(new Document(M1 + "/0001-a.txt", null, null, "Page 0001 a.\n\nIts second paragraph."),
                d.docs().get(0));
        assertEquals("Page 0002 c.\n\nEnd.", d.docs().get(5).text());
        assertEquals(Map.of(), d.skipped());
        assertEquals(d.totalBytes(), d.bytesRead());
    }

    @Test
    void anUnreadableMemberIsReportedCountedAndTheNextOneRead() throws IOException {
        byte[] notXz = "this member is not xz data at all".getBytes(UTF_8);
        Path file = archive(notXz, member("0002"));
        List<String> warnings = new ArrayList<>();

        Samples.Drained d = drain(new OpenWebTextReader(file, Samples.lenient(warnings)));

        assertEquals(List.of(M2 + "/0002-a.txt", M2 + "/0002-b.txt", M2 + "/0002-c.txt"), d.ids());
        assertEquals(Map.of(SkipReason.MALFORMED, 1L), d.skipped());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains(file + ", " + M1 + " (byte "), warnings.get(0));
        assertTrue(warnings.get(0).contains("unreadable member"), warnings.get(0));
    }

    @Test
    void aTruncatedMemberKeepsItsReadablePagesAndTheNextMember() throws IOException {
        byte[] m1 = member("0001");
        Path file = archive(Samples.truncate(m1, 0.5), member("0002"));
        List<String> warnings = new ArrayList<>();

        Samples.Drained d = drain(new OpenWebTextReader(file, Samples.lenient(warnings)));

        assertEquals(List.of(M2 + "/0002-a.txt", M2 + "/0002-b.txt", M2 + "/0002-c.txt"),
                d.ids().subList(d.ids().size() - 3, d.ids().size()));
        assertTrue(d.ids().size() < 6, "the truncated member's tail is lost: " + d.ids());
        assertEquals(1L, d.count(SkipReason.MALFORMED));
        assertTrue(warnings.get(0).contains(M1), warnings.toString());
    }

    @Test
    void strictProblemsEndTheReadAtAnUnreadableMember() throws IOException {
        Path file = archive(new byte[] {1, 2, 3}, member("0002"));
        UserError e = assertThrows(UserError.class, () -> drain(new OpenWebTextReader(file, Samples.strict())));
        assertTrue(e.getMessage().startsWith(file + ", " + M1), e.getMessage());
    }

    @Test
    void undecodableAndEmptyPagesAreCountedAndNonTextEntriesReported() throws IOException {
        Map<String, byte[]> pages = entries("p-a.txt", "fine", "p-b.txt", " \n\n ", "p-c.json", "{}");
        pages.put("p-d.txt", new byte[] {'x', (byte) 0xE2, (byte) 0x82});
        Path file = archive(Samples.xz(Samples.tar(pages)), member("0002"));
        List<String> warnings = new ArrayList<>();

        Samples.Drained d = drain(new OpenWebTextReader(file, Samples.lenient(warnings)));

        assertEquals(4, d.docs().size());
        assertEquals(Map.of(SkipReason.EMPTY, 1L, SkipReason.MALFORMED, 2L), d.skipped());
        assertEquals(7, d.docs().size() + d.skippedTotal(), "every page is a document or a counted skip");
        assertTrue(warnings.stream().anyMatch(w -> w.contains(M1 + "/p-c.json") && w.contains("not a .txt page")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains(M1 + "/p-d.txt") && w.contains("not valid UTF-8 (byte 2)")),
                warnings.toString());
    }

    @Test
    void aTruncatedArchiveEndsTheReadWithAnErrorNamingIt() throws IOException {
        Path good = archive(member("0001"), member("0002"));
        byte[] whole = java.nio.file.Files.readAllBytes(good);
        for (double fraction : new double[] {0.3, 0.6, 0.95}) {
            Path cut = Samples.write(dir.resolve("cut.tar.xz"), Samples.truncate(whole, fraction));
            List<String> warnings = new ArrayList<>();
            IOException e = assertThrows(IOException.class,
                    () -> drain(new OpenWebTextReader(cut, Samples.lenient(warnings))), "cut at " + fraction);
            assertTrue(e.getMessage().startsWith(cut + ": cannot decompress"), e.getMessage());
            assertEquals(List.of(), warnings, "a damaged archive is not mistaken for a damaged member");
        }
    }

    @Test
    void extractedMemberFilesGiveTheArchivesDocumentsAndIds() throws IOException {
        byte[] m1 = member("0001");
        byte[] m2 = member("0002");
        List<Document> fromArchive = drain(new OpenWebTextReader(archive(m1, m2), Samples.strict())).docs();
        Samples.write(dir.resolve(M1), m1);
        Samples.write(dir.resolve(M2), m2);

        DocumentReader extracted = CorpusSources.standard().open("openwebtext", dir + "/openwebtext/urlsf_subset*.xz",
                Samples.strict());
        Samples.Drained d = drain(extracted);

        assertEquals(fromArchive, d.docs());
        assertEquals(d.totalBytes(), d.bytesRead());
    }

    @Test
    void aDamagedMemberFileIsAnErrorNamingIt() throws IOException {
        Path file = Samples.write(dir.resolve(M1), Samples.truncate(member("0001"), 0.5));
        List<String> warnings = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> drain(new OpenWebTextReader(file,
                Samples.lenient(warnings))));
        assertTrue(e.getMessage().startsWith(file + ": cannot decompress"), e.getMessage());
        assertEquals(List.of(), warnings);
    }

    @Test
    void anEmptyMemberHasNoPagesAndAZeroByteOneIsReported() throws IOException {
        byte[] emptyTar = Samples.xz(Samples.tar(Map.of()));
        List<String> warnings = new ArrayList<>();

        Samples.Drained d = drain(new OpenWebTextReader(archive(emptyTar, new byte[0]), Samples.lenient(warnings)));

        assertEquals(List.of(), d.docs());
        assertEquals(Map.of(SkipReason.MALFORMED, 1L), d.skipped());
        assertTrue(warnings.get(0).contains(M2 + " (byte ") && warnings.get(0).contains("unreadable member"),
                warnings.toString());
    }

    @Test
    void aZeroByteArchiveIsAnErrorNamingIt() throws IOException {
        Path file = Samples.write(dir.resolve("openwebtext.tar.xz"), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> new OpenWebTextReader(file, Samples.strict()));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
}
