package io.distiltrain.hub;

/** The Hub could not be reached (no route, refused, timed out): the cache may still serve. */
final class HubUnreachable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HubUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
