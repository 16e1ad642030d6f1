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
 * <p>Owns the dump format and wikitext. Must not touch the other corpus sources, tokenizers,
 * prepared datasets or models; it implements {@link io.distiltrain.corpus.DocumentReader} and
 * reports through {@link io.distiltrain.corpus.Problems} only.
 */
package io.distiltrain.corpus.wikipedia;
