package io.distiltrain.corpus;

/** Why a source's record did not become a document; every one is counted, none dropped silently. */
public enum SkipReason {
    /** A Wikipedia redirect page. */
    REDIRECT,
    /** A Wikipedia disambiguation page. */
    DISAMBIGUATION,
    /** A page outside the article namespace (0). */
    NOT_AN_ARTICLE,
    /** Nothing left after cleaning. */
    EMPTY,
    /** The same text as an earlier document. */
    DUPLICATE,
    /** A record that could not be read: bad XML or JSON, invalid UTF-8, a missing text field, an unreadable archive member. */
    MALFORMED
}
