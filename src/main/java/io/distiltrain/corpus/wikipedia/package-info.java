/**
 * Wikipedia (MediaWiki) XML export dumps as cleaned documents: {@link
 * io.distiltrain.corpus.wikipedia.WikipediaDumpReader} reads a dump's siteinfo and pages (plain,
 * bzip2 and multistream bzip2, gzip, xz; export schemas 0.10 and 0.11) and {@link
 * io.distiltrain.corpus.wikipedia.WikitextCleaner} turns wikitext into prose. {@link
 * io.distiltrain.corpus.wikipedia.MultistreamDumpReader} reads a multistream dump's bzip2 streams in
 * parallel from its {@code -multistream-index.txt.bz2}, giving the same documents in the same order;
 * {@link io.distiltrain.corpus.wikipedia.WikipediaDumps#open} picks between the two.
 *
 * <p>The cleaning rules, step by step, are {@code WikitextCleaner}'s. The lists that decide what is
 * dropped or kept live in one place each: disambiguation templates in {@code Disambiguation}, the
 * templates whose text is kept (all others go) in {@code ProseTemplates}, trailing reference-like
 * sections in {@code TrailingSections}, interlanguage prefixes in {@code LanguageCodes}, removed
 * elements and kept formatting tags in {@code TagStripper}, file and category namespace aliases in
 * {@code Namespaces}.
 *
 * <h2>Checked against an independent extractor</h2>
 * Besides the line-by-line tests of each construct, {@code IndependentExtractorTest} compares the
 * cleaner with <a href="https://github.com/spencermountain/wtf_wikipedia">wtf_wikipedia</a> 10.4.2
 * (JavaScript, {@code wtf(wikitext).text()}) on 17 article pages in src/test/resources/wikitext-compare
 * (English, German, Russian, Arabic, Japanese, Chinese: infoboxes, nested templates, references in
 * every form, tables, files and galleries under local namespace names, lists, {@code {{lang}}},
 * {@code {{convert}}}, entities, {@code <math>}, reference sections). wtf's text is committed beside
 * each page ({@code data-scripts/compare-cleaner/wtf-extract.js} makes it; the build needs no node).
 * From wtf's text the sections this package drops by design are dropped by the same {@code
 * TrailingSections} rule; then every sentence of wtf's prose and list items must be in ours, but
 * for a listed few, and the words must agree: multiset Jaccard at least 0.9. It is 1.000 on 11
 * pages, 0.990 en-marie-curie, 0.988 de-goethe, 0.967 zh-beijing, 0.962 zh-yangtze, 0.958
 * ja-fuji, 0.926 ru-pushkin; a cleaner that keeps templates scores 0.46 to 0.84 on 15 of them, one
 * that loses link text 0.55 to 0.94 (under 0.9 on 16), and either misses sentences on nearly every
 * page; one that leaves entities encoded keeps its words (0.91 to 1.0) and misses sentences.
 *
 * <p>Where ours was wrong, fixed in {@code ProseTemplates}: {@code {{math}}} and {@code {{mvar}}}
 * lost their text ("the sides , and the hypotenuse ,"), {@code {{ill}}} its link text ("Zofia (born
 * 1862), (1863)"), {@code {{nee}}} its "née", the Russian {@code {{ДатаРождения}}} and {@code
 * {{ДатаСмерти}}} their dates ("Пушкин (Москва — , Санкт-Петербург)"), {@code {{Quote}}} its
 * quotation. Found by probing, wrong in both: language converter markup stayed as it was
 * ("北京的-{zh-hans:出租车; zh-hant:計程車;}-"), now {@code LanguageConverter}'s.
 *
 * <p>Where wtf is wrong: a file link with a link in its caption, or under the Chinese alias 文件, is
 * left as "thumb|left|[[...]]"; "&amp;ldquo;" stays encoded; "。" becomes "."; a list is moved
 * after the prose line that follows it; interlanguage links' titles are appended to the text;
 * {@code {{nee}}}, {@code {{Zitat}}} and the Russian date templates are lost; {@code -{...}-}
 * stays; {@code {{math}}} breaks its sentence into three paragraphs; a blockquote's quotes become
 * "' '".
 *
 * <p>Where we differ by design: wtf keeps the lists and link labels of see-also, references and
 * external-links sections, ours drops those sections; wtf keeps a {@code <math>} element's TeX
 * source ("\frac{a}{b}"), ours drops it (a {@code {{math}}} formula written as wikitext is kept);
 * of a {@code {{Quote}}} ours keeps the quotation, wtf also its author ("- Marie Curie"); "km²" is
 * ours for {@code {{convert|5|km2}}}, "km2" wtf's (compared after NFKC).
 *
 * <p>Owns the dump format and wikitext. Must not touch the other corpus sources, tokenizers,
 * prepared datasets or models; it implements {@link io.distiltrain.corpus.DocumentReader} and
 * reports through {@link io.distiltrain.corpus.Problems} only.
 */
package io.distiltrain.corpus.wikipedia;
