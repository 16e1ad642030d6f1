package io.distiltrain.corpus;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * OpenWebText as published: {@code openwebtext.tar.xz} holding {@code openwebtext/urlsf_subset*.xz}
 * members, each an xz-compressed tar of {@code .txt} pages. Read nested in one pass (outer tar
 * over xz, each member's xz over its tar entry), never unpacked to disk.
 *
 * <p>A document's id is the member path + "/" + the page's file name. A page that is not UTF-8, a
 * member or page that is not .xz / .txt, and a member whose xz or tar is unreadable are reported and
 * counted MALFORMED (an unreadable member counts once; its pages after the damage are not
 * recoverable), and reading goes on with the next member. A damaged outer archive ends the reader
 * with an IOException naming the file.
 *
 * <p>An extracted member file ({@code openwebtext/urlsf_subset00-1_data.xz}) reads the same way,
 * with the same ids; there the member is the file, so its damage is the file's and fatal.
 */
public final class OpenWebTextReader implements DocumentReader {
    private final Problems problems;
    private final CompressedFile source;
    private final TarArchiveInputStream outer;
    private final SkipCounts skips = new SkipCounts();
    private final Utf8 utf8 = new Utf8();
    /** The member being read, or null between members. */
    private Member member;

    /** Reads the archive, or one extracted member file ({@code urlsf_subset00-1_data.xz}). */
    public OpenWebTextReader(Path file, Problems problems) throws IOException {
        this.problems = problems;
        this.source = new CompressedFile(file);
        if (!isMember(file)) {
            this.outer = new TarArchiveInputStream(source.data());
            return;
        }
        // The archive is often found unpacked one level (its members in a folder): a member file
        // is read as the archive's member of the same path would be, with the same ids.
        this.outer = null;
        Path folder = file.toAbsolutePath().getParent().getFileName();
        this.member = new Member((folder == null ? "" : folder + "/") + file.getFileName(), null, source.data());
    }

    /** A member is a .xz that is not a .tar.xz: the published members' names hold no ".tar". */
    static boolean isMember(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".xz") && !name.endsWith(".tar.xz");
    }

    @Override
    public Document next() throws IOException {
        while (true) {
            if (member == null && !openNextMember()) {
                return null;
            }
            if (member != null) {
                Document doc = nextPage();
                if (doc != null) {
                    return doc;
                }
            }
        }
    }

    /** Moves to the next xz member (member stays null if it could not be opened); false at the end. */
    private boolean openNextMember() throws IOException {
        if (outer == null) {
            return false; // a member file: its one member has ended
        }
        TarArchiveEntry entry;
        try {
            entry = outer.getNextEntry();
        } catch (IOException e) {
            throw source.failure(e);
        }
        if (entry == null) {
            return false;
        }
        if (entry.isDirectory()) {
            return true;
        }
        if (!entry.isFile() || !entry.getName().endsWith(".xz")) {
            malformed(where(entry.getName()), "not an .xz member (OpenWebText's members are urlsf_subset*.xz)");
            return true;
        }
        Shield shield = new Shield(outer);
        try {
            member = new Member(entry.getName(), shield,
                    new XZCompressorInputStream(new BufferedInputStream(shield, 1 << 16), true));
        } catch (IOException e) {
            memberFailed(entry.getName(), shield, e);
        }
        return true;
    }

    /** The member's next page; null for a skipped entry, or when the member ended or failed (member is then null). */
    private Document nextPage() throws IOException {
        Member m = member;
        TarArchiveEntry entry;
        byte[] bytes;
        try {
            entry = m.tar.getNextEntry();
            if (entry == null) {
                member = null;
                return null;
            }
            bytes = entry.isFile() && entry.getName().endsWith(".txt") ? m.tar.readAllBytes() : null;
        } catch (IOException e) {
            member = null;
            memberFailed(m.name, m.shield, e);
            return null;
        }
        String page = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
        String id = m.name + "/" + page;
        if (entry.isDirectory()) {
            return null; // holds no page
        }
        if (bytes == null) {
            malformed(where(id), "not a .txt page");
            return null;
        }
        String text;
        try {
            text = Paragraphs.normalize(Utf8.withoutBom(utf8.decode(bytes)));
        } catch (Utf8.Invalid e) {
            malformed(where(id), e.getMessage());
            return null;
        }
        if (text.isEmpty()) {
            skips.add(SkipReason.EMPTY);
            return null;
        }
        return new Document(id, null, null, text);
    }

    /**
     * A member's read failed: if the outer archive failed under it, the file is damaged and reading
     * ends; otherwise only this member is, and it is reported and skipped.
     */
    private void memberFailed(String name, Shield shield, IOException e) throws IOException {
        if (shield == null) {
            throw source.failure(e); // a member file: the file itself is damaged
        }
        if (shield.failure != null) {
            throw source.failure(shield.failure);
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        malformed(where(name), "unreadable member (" + why + "); its remaining pages are skipped");
    }

    private void malformed(String where, String what) {
        problems.report(where, what);
        skips.add(SkipReason.MALFORMED);
    }

    private String where(String name) {
        return source.file() + ", " + name + " (byte " + source.bytesRead() + ")";
    }

    @Override
    public long bytesRead() {
        return source.bytesRead();
    }

    @Override
    public long totalBytes() {
        return source.size();
    }

    @Override
    public Map<SkipReason, Long> skipped() {
        return skips.snapshot();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    /**
     * One inner archive: the tar of pages over its decompressed bytes, and the shield over the
     * outer entry it reads from (null for a member file, where the file is the member).
     */
    private static final class Member {
        final String name;
        final Shield shield;
        final TarArchiveInputStream tar;

        Member(String name, Shield shield, InputStream pages) {
            this.name = name;
            this.shield = shield;
            this.tar = new TarArchiveInputStream(pages);
        }
    }

    /**
     * The outer tar's current entry as seen by a member: closing does not close the outer archive
     * (the next member reads on from it), and a failure of the outer read is kept, so that a
     * damaged archive is told apart from a damaged member.
     */
    private static final class Shield extends FilterInputStream {
        IOException failure;

        Shield(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void close() {
            // the outer archive stays open for the next member
        }
    }
}
