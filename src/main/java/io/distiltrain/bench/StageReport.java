package io.distiltrain.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * What {@link PrepareBenchmark} measured: the source's size and one row per stage and thread
 * count, printed as a table or as JSON.
 */
public record StageReport(String source, long sourceBytes, long xmlBytes, long textBytes, List<StageReport.Row> rows) {
    /**
     * One stage at one thread count.
     *
     * @param inBytes the stage's own input (compressed bytes, XML, UTF-8 text or ids as 8 bytes each)
     * @param outBytes what it produced, where that is bytes (decompressed bytes, shard files); else 0
     * @param cpuSeconds this process's (or the child's) CPU time over the stage
     */
    public record Row(String stage, int threads, double seconds, long inBytes, long outBytes, long documents,
                      long tokens, double cpuSeconds) {
        public String json(long sourceBytes) {
            return String.format(Locale.ROOT, "{\"stage\":\"%s\",\"threads\":%d,\"seconds\":%.4f,\"in_bytes\":%d,"
                            + "\"out_bytes\":%d,\"documents\":%d,\"tokens\":%d,\"cpu_seconds\":%.4f,"
                            + "\"source_mb_per_s\":%.3f}", stage, threads, seconds, inBytes, outBytes, documents,
                    tokens, cpuSeconds, sourceBytes / 1e6 / seconds);
        }
    }

        public void print(PrintWriter out) {
            out.printf(Locale.ROOT, "source %s: %,d bytes on disk%s, %,d bytes of paragraph text%n", source,
                    sourceBytes, xmlBytes > 0 ? String.format(Locale.ROOT, ", %,d decompressed", xmlBytes) : "",
                    textBytes);
            out.printf(Locale.ROOT, "%-14s %7s %8s %11s %12s %13s %13s %8s%n", "stage", "threads", "seconds",
                    "source MB/s", "stage MB/s", "documents/s", "tokens/s", "CPU/wall");
            for (Row r : rows) {
                out.printf(Locale.ROOT, "%-14s %7d %8.2f %11.2f %12.2f %13s %13s %8.2f%n", r.stage(), r.threads(),
                        r.seconds(), sourceBytes / 1e6 / r.seconds(), r.inBytes() / 1e6 / r.seconds(),
                        r.documents() > 0 ? String.format(Locale.ROOT, "%,.0f", r.documents() / r.seconds()) : "",
                        r.tokens() > 0 ? String.format(Locale.ROOT, "%,.0f", r.tokens() / r.seconds()) : "",
                        r.cpuSeconds() / r.seconds());
            }
            out.println("source MB/s: the source's on-disk bytes over the stage's time (what a stage would sustain "
                    + "on the whole source); stage MB/s: the stage's own input (compressed bytes, XML, text, ids at 8 B)");
        }

        public String json() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "{\"source\":\"%s\",\"source_bytes\":%d,\"xml_bytes\":%d,\"text_bytes\":%d,\"rows\":[",
                    source.replace("\\", "\\\\").replace("\"", "\\\""), sourceBytes, xmlBytes, textBytes));
            for (int i = 0; i < rows.size(); i++) {
                s.append(i > 0 ? "," : "").append(rows.get(i).json(sourceBytes));
            }
            return s.append("]}").toString();
        }
}
