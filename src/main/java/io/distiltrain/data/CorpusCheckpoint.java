package io.distiltrain.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.AtomicFiles;
import io.distiltrain.FormatVersion;
import io.distiltrain.Sha256;
import io.distiltrain.UserError;
import io.distiltrain.corpus.TextDedup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a stopped corpus preparation can continue: written into the folder being built each time
 * a shard is finished, so a preparation stopped in any way (Ctrl-C, a kill, a failed disk) loses
 * at most the shard it was writing.
 *
 * <p>{@value #FILE} is the manifest of what is done (finished sources and shards, counts so far,
 * languages and their ranges; {@link ManifestJson}'s format, so it is read with the same checks)
 * plus a {@code "resume"} object: the inputs' fingerprint, the next sequence's position, the
 * current source's counters, and how many keys of {@value #KEYS} and which {@value #COUNTS} belong
 * to it. {@value #KEYS} is the append-only log of the kept documents' dedup keys (16 bytes each);
 * {@value #COUNTS} holds the id counts of the finished shards. All three are written atomically
 * (temp file, fsync, rename) or, for the log, synced before the state that counts its keys.
 */
final class CorpusCheckpoint {
    static final String FILE = "preparation-state.json";
    static final String KEYS = "preparation-dedup.keys";
    static final String COUNTS = "preparation-counts.bin";
    static final FormatVersion VERSIONS = FormatVersion.single("preparation state", 1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The next sequence to write: piece {@code piece} of document {@code document} (its ordinal
     * among the documents its reader returns) of source {@code source}; document -1 is the start of
     * the source.
     */
    record Position(int source, long document, int piece) {
        static final Position START = new Position(0, -1, 0);
    }

    /** The current source's counts at the position: documents returned (the one at the position included). */
    record SourceCounters(long returned, long duplicates, long sequences, long tokens) {
        static final SourceCounters NONE = new SourceCounters(0, 0, 0, 0);
    }

    /**
     * A saved state: what is done, as a manifest (its shards, sources, languages, token counts),
     * and where to go on.
     */
    record State(String fingerprint, PreparedManifest done, Position next, SourceCounters current, long keys,
                 long[] counts) {
    }

    private CorpusCheckpoint() {
    }

    /** Saves {@code state} into {@code dir}: the counts, then the state naming them. */
    static void save(Path dir, State state) throws IOException {
        byte[] counts = encode(state.counts());
        AtomicFiles.write(dir.resolve(COUNTS), counts);
        ObjectNode root = (ObjectNode) JSON.readTree(state.done().toJson());
        ObjectNode resume = root.putObject("resume");
        resume.put("version", VERSIONS.current()).put("fingerprint", state.fingerprint());
        resume.putObject("next").put("source", state.next().source()).put("document", state.next().document())
                .put("piece", state.next().piece());
        SourceCounters c = state.current();
        resume.putObject("current_source").put("returned", c.returned()).put("duplicates", c.duplicates())
                .put("sequences", c.sequences()).put("tokens", c.tokens());
        resume.put("dedup_keys", state.keys());
        AtomicFiles.writeString(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    /** The state in {@code dir}, or null when it holds none (stopped before its first shard). */
    static State load(Path dir, int vocabSize) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String fix = "; pass --restart to discard the stopped preparation and start over";
        try {
            JsonNode resume = JSON.readTree(file.toFile()).path("resume");
            if (!resume.isObject()) {
                throw new UserError(file + ": no \"resume\" object" + fix);
            }
            VERSIONS.check(file, resume.path("version").asLong(-1));
            PreparedManifest done = ManifestJson.read(file);
            JsonNode next = resume.path("next");
            JsonNode c = resume.path("current_source");
            byte[] counts = Files.readAllBytes(dir.resolve(COUNTS));
            if (!Sha256.ofBytes(counts).equals(done.tokenCounts().sha256())) {
                throw new UserError(dir.resolve(COUNTS) + ": differs from the state that names it" + fix);
            }
            return new State(resume.path("fingerprint").asText(),
                    done, new Position(next.path("source").asInt(), next.path("document").asLong(),
                            next.path("piece").asInt()),
                    new SourceCounters(c.path("returned").asLong(), c.path("duplicates").asLong(),
                            c.path("sequences").asLong(), c.path("tokens").asLong()),
                    resume.path("dedup_keys").asLong(), decode(counts, vocabSize, dir.resolve(COUNTS), fix));
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")" + fix);
        }
    }

    /** Appends kept documents' keys; {@link #sync} makes them durable before a state counts them. */
    static final class KeyLog implements AutoCloseable {
        private final FileChannel out;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long keys;

        /** Opens the log keeping its first {@code keep} keys (a restart's), loading them into {@code into}. */
        KeyLog(Path file, long keep, TextDedup into) throws IOException {
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (out.size() < keep * 16) {
                out.close();
                throw new UserError(file + ": holds fewer dedup keys than the state counts; pass --restart to "
                        + "discard the stopped preparation and start over");
            }
            out.truncate(keep * 16);
            ByteBuffer in = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            out.position(0);
            for (long left = keep * 16; left > 0; ) {
                int n = out.read(in);
                if (n < 0) {
                    throw new IOException(file + ": ended early");
                }
                left -= n;
                in.flip();
                while (in.remaining() >= 16) {
                    into.add(new TextDedup.Key(in.getLong(), in.getLong()));
                }
                in.compact();
            }
            out.position(keep * 16);
            keys = keep;
        }

        void add(TextDedup.Key key) throws IOException {
            if (buf.remaining() < 16) {
                flush();
            }
            buf.putLong(key.a()).putLong(key.b());
            keys++;
        }

        long keys() {
            return keys;
        }

        void sync() throws IOException {
            flush();
            out.force(false);
        }

        private void flush() throws IOException {
            buf.flip();
            AtomicFiles.writeFully(out, buf);
            buf.clear();
        }

        @Override
        public void close() throws IOException {
            try (out) {
                flush();
            }
        }
    }

    static byte[] encode(long[] counts) {
        ByteBuffer b = ByteBuffer.allocate(counts.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long c : counts) {
            b.putLong(c);
        }
        return b.array();
    }

    private static long[] decode(byte[] bytes, int vocabSize, Path file, String fix) {
        if (bytes.length != (long) vocabSize * Long.BYTES) {
            throw new UserError(file + ": counts for another vocabulary" + fix);
        }
        long[] counts = new long[vocabSize];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(counts);
        return counts;
    }
}
