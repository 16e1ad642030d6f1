package io.distiltrain.cli;

import io.distiltrain.data.CorpusInput;
import io.distiltrain.data.CorpusProgress;
import io.distiltrain.data.PreparedManifest;
import io.distiltrain.metrics.ProgressBar;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A progress bar per corpus source, one after another: bytes read of the source's total (with
 * the bar's rate and ETA), documents, and tokens per second.
 */
final class SourceProgressBars implements CorpusProgress {
    private final int sources;
    private final PrintWriter err;
    private final ProgressBar.Settings settings;
    private ProgressBar bar;
    private long startNanos;
    private long total;

    SourceProgressBars(int sources, PrintWriter err, ProgressBar.Settings settings) {
        this.sources = sources;
        this.err = err;
        this.settings = settings;
    }

    @Override
    public void resumed(int source, int shards, long sequences) {
        err.printf(Locale.ROOT, "continuing a stopped preparation: %,d shards (%,d sequences) kept; source %d of %d "
                + "is read again up to where it stopped (pass --restart to start over)%n", shards, sequences,
                source + 1, sources);
        err.flush();
    }

    @Override
    public void started(int index, CorpusInput input) {
        err.printf(Locale.ROOT, "source %d of %d: %s%n", index + 1, sources, input.name());
        err.flush();
        total = input.bytes();
        bar = new ProgressBar(total, 0, "byte", err, settings);
        startNanos = System.nanoTime();
    }

    @Override
    public void advanced(int index, long bytesRead, long documents, long tokens) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("docs", String.format(Locale.ROOT, "%,d", documents));
        fields.put("tok/s", String.format(Locale.ROOT, "%,.0f", tokens / seconds));
        bar.update(Math.min(bytesRead, total), fields);
    }

    @Override
    public void finished(int index, PreparedManifest.SourceFile file) {
        bar.update(total);
        bar.finish();
    }
}
