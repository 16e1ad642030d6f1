package io.distiltrain.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the Hub is and who we are, read from the same environment variables as the Hugging Face
 * libraries, so one setup serves both.
 *
 * <ul>
 *   <li>{@code HF_ENDPOINT}: the Hub's base URL, {@code https://huggingface.co} by default (a mirror,
 *       or a test server).</li>
 *   <li>{@code HF_HUB_CACHE}: the cache folder; else {@code $HF_HOME/hub}; {@code HF_HOME} is
 *       {@code $XDG_CACHE_HOME/huggingface} or {@code ~/.cache/huggingface}.</li>
 *   <li>{@code HF_TOKEN}: the access token; else the file {@code HF_TOKEN_PATH} names, else
 *       {@code $HF_HOME/token} (what {@code huggingface-cli login} / {@code hf auth login} writes).</li>
 *   <li>{@code HF_HUB_OFFLINE}: 1 (or true, yes, on) forbids any request: only the cache is read.</li>
 * </ul>
 *
 * <p>The token is held privately and only ever put into an Authorization header; {@link #toString()}
 * says whether there is one, never what it is.
 */
public final class HubSettings {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Set<String> TRUE = Set.of("1", "true", "yes", "on");

    private final String endpoint;
    private final Path cache;
    private final String token;
    private final boolean offline;

    public HubSettings(String endpoint, Path cache, String token, boolean offline) {
        String e = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.strip();
        this.endpoint = e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
        this.cache = cache.toAbsolutePath().normalize();
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.offline = offline;
    }

    /** The settings of this process's environment. */
    public static HubSettings fromEnvironment() {
        return from(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The settings {@code env} describes; {@code home} stands for {@code ~}. */
    public static HubSettings from(Map<String, String> env, Path home) {
        Path hfHome = env.containsKey("HF_HOME") ? Path.of(env.get("HF_HOME"))
                : env.containsKey("XDG_CACHE_HOME") ? Path.of(env.get("XDG_CACHE_HOME"), "huggingface")
                : home.resolve(".cache").resolve("huggingface");
        Path cache = env.containsKey("HF_HUB_CACHE") ? Path.of(env.get("HF_HUB_CACHE")) : hfHome.resolve("hub");
        String token = env.get("HF_TOKEN");
        if (token == null || token.isBlank()) {
            Path file = env.containsKey("HF_TOKEN_PATH") ? Path.of(env.get("HF_TOKEN_PATH")) : hfHome.resolve("token");
            token = readToken(file);
        }
        boolean offline = TRUE.contains(env.getOrDefault("HF_HUB_OFFLINE", "").strip().toLowerCase(Locale.ROOT));
        return new HubSettings(env.get("HF_ENDPOINT"), cache, token, offline);
    }

    private static String readToken(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null; // an unreadable token file is the same as none: public repos still work
        }
    }

    public String endpoint() {
        return endpoint;
    }

    public Path cache() {
        return cache;
    }

    public boolean offline() {
        return offline;
    }

    public boolean hasToken() {
        return token != null;
    }

    /** The same settings with requests forbidden. */
    public HubSettings offlineOnly() {
        return new HubSettings(endpoint, cache, token, true);
    }

    /** The value of an Authorization header, if there is a token; package-private so it stays in the client. */
    Optional<String> authorization() {
        return token == null ? Optional.empty() : Optional.of("Bearer " + token);
    }

    @Override
    public String toString() {
        return "Hub " + endpoint + ", cache " + cache + (token == null ? ", no token" : ", with a token")
                + (offline ? ", offline" : "");
    }
}
