package io.distiltrain.corpus.wikipedia;

/**
 * One {@code <namespace key="6" case="first-letter">Datei</namespace>} of a dump's siteinfo.
 *
 * @param key the namespace number (0 articles, 6 files, 14 categories, -2 media)
 * @param caseRule the dump's {@code case} attribute ("first-letter" or "case-sensitive"), or "" if absent
 * @param name the local name, "" for the article namespace
 */
public record Namespace(int key, String caseRule, String name) {
    public static final int MEDIA = -2;
    public static final int ARTICLE = 0;
    public static final int FILE = 6;
    public static final int CATEGORY = 14;
}
