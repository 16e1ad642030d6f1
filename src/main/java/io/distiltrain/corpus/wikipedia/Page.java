package io.distiltrain.corpus.wikipedia;

/**
 * One {@code <page>} as the dump has it.
 *
 * @param id the page id ({@code <page><id>}, not a revision's or contributor's)
 * @param title the title, namespace prefix included
 * @param ns the namespace number, or null where the page has no {@code <ns>}
 * @param redirect whether the page has a {@code <redirect>} element
 * @param text the wikitext of the page's last revision, "" if it has none (deleted text)
 */
record Page(String id, String title, Integer ns, boolean redirect, String text) {
}
