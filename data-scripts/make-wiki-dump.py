#!/usr/bin/env python3
"""Writes a synthetic English-Wikipedia-shaped multistream dump and its index, for benchmarks.

    python3 data-scripts/make-wiki-dump.py --pages 12000 --seed 1 --output /tmp/wikibench

gives /tmp/wikibench/enwiki-20261101-pages-articles-multistream.xml.bz2 and
enwiki-20261101-pages-articles-multistream-index.txt.bz2, laid out as Wikimedia lays them out:
one bzip2 stream (block size 9) for the header and siteinfo, one per 100 pages, one for the
closing tag; the index holds "offset:page id:title" lines. The same seed gives the same bytes.

The prose is real English, not generated words (tokenizer speed depends on the words): sentences
of quickstart/corpus/train.txt (quotations, Jargon File entries, Dhammapada verses; see
quickstart/corpus/SOURCES.md) and of the licence texts in /usr/share/common-licenses (GPL, GFDL,
Apache, ...) where that folder exists. Around it goes the wikitext of real articles: an infobox
with nested templates, bold title, links with and without labels, refs with citation templates and
named refs, {{citation needed}}, {{convert}}, &nbsp; and other entities, HTML comments, headings,
lists, tables, files with captions, See also / References / External links sections, categories,
DEFAULTSORT and interlanguage links. About 30% of the pages are redirects and 5% are in other
namespaces (Category, Template, File), roughly as in enwiki's pages-articles.
"""
import argparse
import bz2
import glob
import os
import random
import re
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

NAMESPACES = [("-2", "Media"), ("-1", "Special"), ("0", ""), ("1", "Talk"), ("2", "User"), ("3", "User talk"),
              ("4", "Wikipedia"), ("5", "Wikipedia talk"), ("6", "File"), ("7", "File talk"), ("8", "MediaWiki"),
              ("10", "Template"), ("11", "Template talk"), ("12", "Help"), ("14", "Category"), ("15", "Category talk"),
              ("100", "Portal"), ("118", "Draft"), ("828", "Module")]


def sentences():
    text = []
    with open(os.path.join(ROOT, "quickstart", "corpus", "train.txt"), encoding="utf-8") as f:
        text.extend(line.strip() for line in f)
    for name in sorted(glob.glob("/usr/share/common-licenses/*")):
        if os.path.isfile(name) and not os.path.islink(name):
            with open(name, encoding="utf-8", errors="replace") as f:
                text.extend(p.replace("\n", " ") for p in f.read().split("\n\n"))
    out = []
    for line in text:
        for s in re.split(r"(?<=[.!?])\s+", line):
            s = " ".join(s.split())
            if 20 <= len(s) <= 400 and not re.search(r"[<>{}\[\]|=#*&']", s):
                out.append(s)
    return out


class Writer:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.sentences = sentences()
        words = set()
        for s in self.sentences[:20000]:
            words.update(w for w in re.findall(r"[A-Za-z]{4,}", s))
        self.words = sorted(words)
        self.titles = []

    def title(self):
        r = self.r
        return " ".join(r.choice(self.words).capitalize() for _ in range(r.choice([1, 1, 2, 2, 3])))

    def link_words(self, s):
        """Turns some words of a sentence into links, bold, italics; adds refs and templates."""
        r = self.r
        words = s.split(" ")
        for i in range(len(words)):
            w = words[i]
            if not re.fullmatch(r"[A-Za-z]{4,}", w):
                continue
            x = r.random()
            if x < 0.07:
                words[i] = "[[" + w + "]]"
            elif x < 0.11:
                words[i] = "[[" + self.title() + "|" + w + "]]"
            elif x < 0.12:
                words[i] = "''" + w + "''"
            elif x < 0.125:
                words[i] = w + "&nbsp;" + str(r.randint(2, 900))
        s = " ".join(words)
        x = r.random()
        if x < 0.15:
            s += ('<ref>{{cite web |url=https://www.example.org/%d |title=%s |publisher=%s |date=%d %s %d '
                  '|access-date=2024-03-%02d}}</ref>' % (r.randint(1, 10**6), self.title(), self.title(),
                                                          r.randint(1, 28), r.choice(["May", "June", "March"]),
                                                          r.randint(1950, 2024), r.randint(1, 28)))
        elif x < 0.22:
            s += '<ref name="r%d">{{cite book |last=%s |first=%s |title=%s |year=%d |isbn=978-0-%d |page=%d}}</ref>' % (
                r.randint(1, 9), r.choice(self.words).capitalize(), r.choice(self.words).capitalize(), self.title(),
                r.randint(1900, 2024), r.randint(10**8, 10**9), r.randint(1, 500))
        elif x < 0.27:
            s += '<ref name="r%d" />' % r.randint(1, 9)
        elif x < 0.29:
            s += "{{citation needed|date=%s %d}}" % (r.choice(["May", "July"]), r.randint(2008, 2024))
        elif x < 0.31:
            s = s[:-1] + " of {{convert|%d|km|mi}}." % r.randint(1, 5000)
        elif x < 0.32:
            s += "<!-- %s -->" % r.choice(self.sentences)
        return s

    def paragraph(self, n=None):
        r = self.r
        return " ".join(self.link_words(r.choice(self.sentences)) for _ in range(n or r.randint(2, 7)))

    def infobox(self, title):
        r = self.r
        rows = ["{{Infobox %s" % r.choice(["person", "settlement", "company", "album", "book"]),
                "| name = " + title, "| image = %s.jpg" % title.replace(" ", "_"),
                "| caption = " + r.choice(self.sentences)[:60]]
        for _ in range(r.randint(5, 14)):
            v = r.choice([self.title(), "[[" + self.title() + "]]", "{{birth date|%d|%d|%d}}" % (
                r.randint(1800, 2000), r.randint(1, 12), r.randint(1, 28)), "{{plainlist|\n* [[%s]]\n* [[%s]]\n}}" % (
                self.title(), self.title()), str(r.randint(1, 10**6)), "{{coord|%d|%d|N|%d|%d|W}}" % (
                r.randint(0, 89), r.randint(0, 59), r.randint(0, 179), r.randint(0, 59))])
            rows.append("| %s = %s" % (r.choice(self.words).lower(), v))
        return "\n".join(rows) + "\n}}\n"

    def table(self):
        r = self.r
        rows = ['{| class="wikitable sortable"', "! Year !! %s !! %s" % (self.title(), self.title())]
        for _ in range(r.randint(2, 8)):
            rows += ["|-", "| %d || [[%s]] || %d" % (r.randint(1900, 2024), self.title(), r.randint(1, 999))]
        return "\n".join(rows) + "\n|}\n"

    def article(self, title):
        r = self.r
        out = []
        if r.random() < 0.2:
            out.append("{{Short description|%s}}\n" % r.choice(self.sentences)[:50])
        if r.random() < 0.6:
            out.append(self.infobox(title))
        first = self.paragraph()
        out.append("'''%s''' %s\n\n" % (title, first[0].lower() + first[1:]))
        for _ in range(r.randint(0, 2)):
            out.append(self.paragraph() + "\n\n")
        # Article lengths are heavy-tailed: most short, a few long.
        sections = min(int(r.lognormvariate(1.0, 0.9)), 25)
        for _ in range(sections):
            out.append("== %s ==\n" % self.title())
            if r.random() < 0.2:
                out.append("[[File:%s.jpg|thumb|%s]]\n" % (self.title().replace(" ", "_"), self.paragraph(1)))
            for _ in range(r.randint(1, 4)):
                out.append(self.paragraph() + "\n\n")
            if r.random() < 0.3:
                out.append("=== %s ===\n%s\n\n" % (self.title(), self.paragraph()))
            if r.random() < 0.15:
                out.append(self.table())
            if r.random() < 0.2:
                out.append("".join("* %s\n" % self.paragraph(1) for _ in range(r.randint(2, 6))) + "\n")
        if r.random() < 0.5:
            out.append("== See also ==\n" + "".join("* [[%s]]\n" % self.title() for _ in range(r.randint(1, 4))))
        out.append("\n== References ==\n{{reflist}}\n\n")
        if r.random() < 0.6:
            out.append("== External links ==\n* [https://www.example.org/%d Official website]\n"
                       "* {{IMDb name|%d}}\n\n" % (r.randint(1, 10**6), r.randint(1, 10**6)))
        out.append("{{Authority control}}\n\n{{DEFAULTSORT:%s}}\n" % title)
        out.append("".join("[[Category:%s]]\n" % self.title() for _ in range(r.randint(2, 7))))
        if r.random() < 0.3:
            out.append("[[de:%s]]\n[[fr:%s]]\n" % (title, title))
        return "".join(out)

    def page(self, pid):
        r = self.r
        x = r.random()
        title = self.title()
        while title in self.titles:
            title += " " + r.choice(self.words).capitalize()
        ns, redirect = 0, None
        if x < 0.30 and self.titles:
            redirect = r.choice(self.titles[-500:])
            text = "#REDIRECT [[%s]]\n\n{{Redirect category shell|{{R from alternative name}}}}" % redirect
        elif x < 0.32:
            ns, title, text = 14, "Category:" + title, self.paragraph(1) + "\n[[Category:%s]]" % self.title()
        elif x < 0.34:
            ns, title = 10, "Template:" + title
            text = '{{Navbox\n| name = %s\n| list1 = [[%s]] {{!}} [[%s]]\n}}<noinclude>{{Documentation}}</noinclude>' % (
                title, self.title(), self.title())
        elif x < 0.35:
            ns, title, text = 6, "File:" + title + ".jpg", "== Summary ==\n" + self.paragraph(1)
        else:
            self.titles.append(title)
            text = self.article(title)
        body = text.encode("utf-8")
        return ("  <page>\n    <title>%s</title>\n    <ns>%d</ns>\n    <id>%d</id>\n%s    <revision>\n"
                "      <id>%d</id>\n      <parentid>%d</parentid>\n      <timestamp>2026-10-%02dT12:00:00Z</timestamp>\n"
                "      <contributor>\n        <username>Editor%d</username>\n        <id>%d</id>\n      </contributor>\n"
                "      <comment>copyedit</comment>\n      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
                "      <text bytes=\"%d\" xml:space=\"preserve\">%s</text>\n      <sha1>%031x</sha1>\n    </revision>\n"
                "  </page>\n") % (
            escape(title), ns, pid, ('    <redirect title="%s" />\n' % escape(redirect, {'"': "&quot;"}))
            if redirect else "", pid * 7 + 3, pid * 7, r.randint(1, 28), r.randint(1, 10**4),
            r.randint(1, 10**7), len(body), escape(text), r.getrandbits(124)), title


def header():
    ns = "".join('      <namespace key="%s" case="first-letter"%s\n' % (k, " />" if not n else ">%s</namespace>" % n)
                 for k, n in NAMESPACES)
    return ('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.11/ '
            'http://www.mediawiki.org/xml/export-0.11.xsd" version="0.11" xml:lang="en">\n'
            "  <siteinfo>\n    <sitename>Wikipedia</sitename>\n    <dbname>enwiki</dbname>\n"
            "    <base>https://en.wikipedia.org/wiki/Main_Page</base>\n    <generator>MediaWiki 1.45.0-wmf.1</generator>\n"
            "    <case>first-letter</case>\n    <namespaces>\n" + ns + "    </namespaces>\n  </siteinfo>\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=12000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--output", required=True)
    a = p.parse_args()
    os.makedirs(a.output, exist_ok=True)
    base = os.path.join(a.output, "enwiki-20261101-pages-articles-multistream")
    w = Writer(a.seed)
    index = []
    plain = 0
    with open(base + ".xml.bz2", "wb") as out:
        h = header().encode("utf-8")
        plain += len(h)
        out.write(bz2.compress(h, 9))
        pid = 10
        for start in range(0, a.pages, 100):
            offset = out.tell()
            chunk = []
            for _ in range(min(100, a.pages - start)):
                pid += 1 + w.r.randint(0, 3)
                xml, title = w.page(pid)
                chunk.append(xml)
                index.append("%d:%d:%s\n" % (offset, pid, title))
            data = "".join(chunk).encode("utf-8")
            plain += len(data)
            out.write(bz2.compress(data, 9))
        out.write(bz2.compress(b"</mediawiki>\n", 9))
        plain += 13
        size = out.tell()
    with open(base + "-index.txt.bz2", "wb") as f:
        f.write(bz2.compress("".join(index).encode("utf-8"), 9))
    print("%s.xml.bz2: %d pages, %.1f MB of XML in %.1f MB of bzip2 (ratio %.2f)" % (
        base, a.pages, plain / 1e6, size / 1e6, plain / size))


if __name__ == "__main__":
    main()
