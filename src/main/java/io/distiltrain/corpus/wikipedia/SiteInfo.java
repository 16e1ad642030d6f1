package io.distiltrain.corpus.wikipedia;

import java.net.URI;
import java.util.List;

/**
 * What a dump says about its wiki before the first page: the export schema version (the root's
 * {@code version} attribute), {@code <dbname>} ("dewiki"), {@code <base>} (the main page's URL) and
 * {@code <namespaces>}. Every field may be missing in a hand-made export: then "" or an empty list.
 */
public record SiteInfo(String schemaVersion, String dbname, String base, List<Namespace> namespaces) {
    public SiteInfo {
        namespaces = List.copyOf(namespaces);
    }

    /**
     * The wiki's language: from the database name ("dewiki" is "de", "zh_yuewiki" is "zh-yue"),
     * else from the base URL's host ("https://ja.wikipedia.org/..." is "ja"), else null.
     */
    public String language() {
        String fromDb = LanguageCodes.fromDbname(dbname.isEmpty() ? null : dbname);
        if (fromDb != null) {
            return fromDb;
        }
        try {
            String host = base.isEmpty() ? null : URI.create(base.strip()).getHost();
            int dot = host == null ? -1 : host.indexOf('.');
            return dot > 0 ? host.substring(0, dot) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
