package io.distiltrain.corpus.wikipedia;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * Small MediaWiki export dumps built the way Wikimedia writes them: the root with the schema
 * version, a siteinfo with the wiki's namespaces, then pages; compressed as one bzip2 stream or as a
 * multistream file (a stream for the header, one per two pages, one for the closing tag).
 */
final class DumpSamples {
    private final String version;
    private final String dbname;
    private final String[][] namespaces;
    private final List<String> pages = new ArrayList<>();

    /** @param namespaces {key, name} pairs as the wiki's siteinfo lists them */
    DumpSamples(String version, String dbname, String[][] namespaces) {
        this.version = version;
        this.dbname = dbname;
        this.namespaces = namespaces;
    }

    DumpSamples article(int id, String title, String wikitext) {
        return page(id, title, 0, false, wikitext);
    }

    DumpSamples page(int id, String title, int ns, boolean redirect, String wikitext) {
        pages.add("  <page>\n    <title>" + esc(title) + "</title>\n    <ns>" + ns + "</ns>\n    <id>" + id + "</id>\n"
                + (redirect ? "    <redirect title=\"" + esc(wikitext.replaceAll(".*\\[\\[|]].*", "")) + "\" />\n" : "")
                + "    <revision>\n      <id>" + (id * 10 + 7) + "</id>\n      <parentid>" + (id * 10) + "</parentid>\n"
                + "      <timestamp>2026-11-01T12:00:00Z</timestamp>\n"
                + "      <contributor>\n        <username>Editor</username>\n        <id>99" + id + "</id>\n      </contributor>\n"
                + "      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
                + "      <text bytes=\"" + wikitext.getBytes(StandardCharsets.UTF_8).length + "\" xml:space=\"preserve\">"
                + esc(wikitext) + "</text>\n      <sha1>abc</sha1>\n    </revision>\n  </page>\n");
        return this;
    }

    /** A page as raw XML, for malformed ones. */
    DumpSamples raw(String xml) {
        pages.add(xml);
        return this;
    }

    String header() {
        StringBuilder ns = new StringBuilder();
        for (String[] n : namespaces) {
            ns.append("      <namespace key=\"").append(n[0]).append("\" case=\"first-letter\"")
                    .append(n[1].isEmpty() ? " />\n" : ">" + esc(n[1]) + "</namespace>\n");
        }
        String lang = dbname.replace("wiki", "");
        return "<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-" + version + "/\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.mediawiki.org/xml/export-"
                + version + "/ http://www.mediawiki.org/xml/export-" + version + ".xsd\" version=\"" + version + "\" xml:lang=\""
                + lang + "\">\n  <siteinfo>\n    <sitename>Wikipedia</sitename>\n    <dbname>" + dbname + "</dbname>\n"
                + "    <base>https://" + lang + ".wikipedia.org/wiki/Main</base>\n    <generator>MediaWiki 1.45.0-wmf.1</generator>\n"
                + "    <case>first-letter</case>\n    <namespaces>\n" + ns + "    </namespaces>\n  </siteinfo>\n";
    }

    String xml() {
        return header() + String.join("", pages) + "</mediawiki>\n";
    }

    byte[] plain() {
        return xml().getBytes(StandardCharsets.UTF_8);
    }

    byte[] bzip2() throws IOException {
        return bzip2(plain());
    }

    /** One bzip2 stream for the header, one per two pages, one for the closing tag, concatenated. */
    byte[] multistream() throws IOException {
        return multistream(new StringBuilder());
    }

    /** The multistream dump, with its index ("offset:page id:title" lines) written to {@code index}. */
    byte[] multistream(StringBuilder index) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bzip2(header().getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < pages.size(); i += 2) {
            List<String> two = pages.subList(i, Math.min(i + 2, pages.size()));
            for (String page : two) {
                index.append(out.size()).append(':').append(between(page, "<id>", "</id>")).append(':')
                        .append(between(page, "<title>", "</title>")).append('\n');
            }
            out.write(bzip2(String.join("", two).getBytes(StandardCharsets.UTF_8)));
        }
        out.write(bzip2("</mediawiki>\n".getBytes(StandardCharsets.UTF_8)));
        return out.toByteArray();
    }

    private static String between(String s, String open, String close) {
        int from = s.indexOf(open) + open.length();
        return s.substring(from, s.indexOf(close, from));
    }

    static byte[] bzip2(byte[] data) throws IOException {
        return bzip2(data, BZip2CompressorOutputStream.MAX_BLOCKSIZE);
    }

    /** @param blockSize in 100 kB units, 1 to 9 (Wikimedia's dumps use 9) */
    static byte[] bzip2(byte[] data, int blockSize) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream bz = new BZip2CompressorOutputStream(bytes, blockSize)) {
            bz.write(data);
        }
        return bytes.toByteArray();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
