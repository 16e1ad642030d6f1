package io.distiltrain.corpus.wikipedia;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The namespace prefixes a link may carry, to tell a file or category link from an article link.
 * MediaWiki accepts the English canonical names (File, Image, Media, Category, ...) on every wiki
 * besides the local ones, so both are always known, with the {@code ALIASES} of major languages: {@code [[Datei:x.jpg]]} and {@code [[File:x.jpg]]}
 * go on the German Wikipedia alike. Prefixes compare case-insensitively with "_" as " ".
 */
public final class Namespaces {
    /** MediaWiki's canonical names, valid on every wiki whatever its language. */
    private static final Object[][] CANONICAL = {
        {Namespace.MEDIA, "Media"}, {-1, "Special"}, {1, "Talk"}, {2, "User"}, {3, "User talk"},
        {4, "Project"}, {5, "Project talk"}, {Namespace.FILE, "File"}, {Namespace.FILE, "Image"},
        {7, "File talk"}, {7, "Image talk"}, {8, "MediaWiki"}, {9, "MediaWiki talk"}, {10, "Template"},
        {11, "Template talk"}, {12, "Help"}, {13, "Help talk"}, {Namespace.CATEGORY, "Category"},
        {15, "Category talk"}, {100, "Portal"}, {828, "Module"}, {118, "Draft"}, {4, "Wikipedia"},
    };

    /**
     * Aliases that wikis accept for the file and category namespaces but that a dump's siteinfo does
     * not list (it gives one name per namespace): old articles still write {@code [[Bild:x.jpg]]} on
     * the German Wikipedia or {@code [[画像:x.jpg]]} on the Japanese one. Known on every wiki, as no
     * article title starts with one of them followed by a colon.
     */
    private static final Object[][] ALIASES = {
        {Namespace.FILE, "Bild"}, {Namespace.FILE, "Datei"}, {Namespace.FILE, "Fichier"}, {Namespace.FILE, "Imagen"},
        {Namespace.FILE, "Archivo"}, {Namespace.FILE, "Imagem"}, {Namespace.FILE, "Arquivo"}, {Namespace.FILE, "Immagine"},
        {Namespace.FILE, "Afbeelding"}, {Namespace.FILE, "Bestand"}, {Namespace.FILE, "Grafika"}, {Namespace.FILE, "Plik"},
        {Namespace.FILE, "Файл"}, {Namespace.FILE, "Изображение"}, {Namespace.FILE, "ファイル"}, {Namespace.FILE, "画像"},
        {Namespace.FILE, "文件"}, {Namespace.FILE, "檔案"}, {Namespace.FILE, "档案"}, {Namespace.FILE, "图像"},
        {Namespace.FILE, "圖像"}, {Namespace.FILE, "ملف"}, {Namespace.FILE, "صورة"}, {Namespace.FILE, "파일"},
        {Namespace.CATEGORY, "Kategorie"}, {Namespace.CATEGORY, "Catégorie"}, {Namespace.CATEGORY, "Categoría"},
        {Namespace.CATEGORY, "Categoria"}, {Namespace.CATEGORY, "Categorie"}, {Namespace.CATEGORY, "Kategoria"},
        {Namespace.CATEGORY, "Категория"}, {Namespace.CATEGORY, "カテゴリ"}, {Namespace.CATEGORY, "分类"},
        {Namespace.CATEGORY, "分類"}, {Namespace.CATEGORY, "تصنيف"}, {Namespace.CATEGORY, "분류"},
    };

    private final Map<String, Integer> keyByName;

    private Namespaces(Map<String, Integer> keyByName) {
        this.keyByName = keyByName;
    }

    /** Only MediaWiki's canonical English names (for text whose dump gave no siteinfo). */
    public static Namespaces canonical() {
        return of(List.of());
    }

    /** A dump's own namespaces plus the canonical names. */
    public static Namespaces of(List<Namespace> local) {
        Map<String, Integer> keys = new HashMap<>();
        for (Object[][] names : new Object[][][] {CANONICAL, ALIASES}) {
            for (Object[] c : names) {
                keys.put(normalize((String) c[1]), (Integer) c[0]);
            }
        }
        for (Namespace ns : local) {
            if (!ns.name().isBlank()) {
                keys.put(normalize(ns.name()), ns.key());
            }
        }
        return new Namespaces(Map.copyOf(keys));
    }

    /** The namespace a prefix (the text before a link's first ':') names, or null if none. */
    public Integer keyOf(String prefix) {
        return keyByName.get(normalize(prefix));
    }

    /** A file link: the image is left out of the text, caption and all. */
    public boolean isFile(String prefix) {
        Integer key = keyOf(prefix);
        return key != null && (key == Namespace.FILE || key == Namespace.MEDIA);
    }

    public boolean isCategory(String prefix) {
        Integer key = keyOf(prefix);
        return key != null && key == Namespace.CATEGORY;
    }

    /** Whether a page title lies outside the article namespace by its prefix (for pages without {@code <ns>}). */
    public boolean isNonArticleTitle(String title) {
        int colon = title.indexOf(':');
        return colon > 0 && keyOf(title.substring(0, colon)) != null;
    }

    static String normalize(String name) {
        return name.replace('_', ' ').strip().replaceAll(" {2,}", " ").toLowerCase(Locale.ROOT);
    }
}
