package io.distiltrain.config;

import io.distiltrain.UserError;
import java.util.List;

/**
 * A configuration value the user can fix. Carries the dotted key paths it is about, so that the
 * loader can say whether the offending value came from the YAML file or from {@code --set}.
 * The message always starts with (or names) those key paths.
 */
public final class ConfigError extends UserError {
    private static final long serialVersionUID = 1L;

    private final List<String> keys;

    /** One key: the message reads {@code "KEY: PROBLEM"}. */
    public ConfigError(String key, String problem) {
        this(List.of(key), key + ": " + problem);
    }

    /** Several keys, for contradictions; {@code message} must name them itself. */
    public ConfigError(List<String> keys, String message) {
        super(message);
        this.keys = List.copyOf(keys);
    }

    public List<String> keys() {
        return keys;
    }

    /** The same problem, prefixed with where it was found ("configs/x.yaml", "--set"). */
    ConfigError from(String where) {
        return new ConfigError(keys, where + ": " + getMessage());
    }
}
