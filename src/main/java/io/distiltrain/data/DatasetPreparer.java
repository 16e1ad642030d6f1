package io.distiltrain.data;

import io.distiltrain.Sha256;

import io.distiltrain.AtomicFiles;
import io.distiltrain.UserError;
import io.distiltrain.corpus.ByteLines;
import io.distiltrain.corpus.Text;
import io.distiltrain.data.PreparedManifest.SourceFile;
import io.distiltrain.data.PreparedManifest.TokenizerIdentity;
import io.distiltrain.tokenizer.SpecialTokens;
import io.distiltrain.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Turns plain-text corpora into a prepared dataset (docs/data-format.md): one document a line,
 * each non-blank line stored as {@code CLS ids SEP} with the ids of the stripped line tokenized
 * without special tokens, as the reference's binarized_data.py does.
 *
 * <p>Lines are read, tokenized in batches (the native tokenizer spreads a batch over its threads)
 * and streamed into shards, so memory holds one batch whatever the corpus size. The folder
 * appears complete or not at all.
 */
public final class DatasetPreparer {
    /** Lines per tokenizer call: enough to keep every tokenizer thread busy. */
    static final int BATCH_LINES = 4096;
    /** ...unless they are long: bounds the memory a batch of huge documents takes. */
    static final long BATCH_CHARS = 8L << 20;

    private DatasetPreparer() {
    }

    /**
     * Prepares {@code textFiles} (plain UTF-8 text, or .gz / .bz2 / .xz compressed) with the
     * tokenizer of {@code tokenizerDir} into {@code outputDir}, which must not exist or be empty.
     *
     * @throws UserError for a missing or unreadable input, a line that is not UTF-8 (naming file
     *     and line), a truncated or corrupt compressed file, input without any non-blank line, an
     *     existing non-empty output, or a failed write
     */
    public static PreparedManifest prepare(Path tokenizerDir, List<Path> textFiles, Path outputDir,
            PrepareOptions options, ProgressListener listener) {
        if (textFiles.isEmpty()) {
            throw new UserError("no input text files given; name at least one file holding one document a line");
        }
        long totalBytes = 0;
        for (Path f : textFiles) {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                throw new UserError(f + ": no such readable file; check the path");
            }
            try {
                totalBytes += Files.size(f);
            } catch (IOException e) {
                throw new UserError(f + ": cannot read its size (" + e.getMessage() + "); check the path");
            }
        }
        long total = totalBytes;
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir)) {
            TokenizerIdentity identity = TokenizerFingerprint.of(tokenizer, tokenizerDir);
            return AtomicFiles.buildDirectory(outputDir, dir -> {
                PreparedManifest manifest = new Run(tokenizer, identity, options, listener, total, dir).prepare(textFiles);
                // A copy of the tokenizer makes the dataset self-describing: a model trained from
                // scratch on it needs no other folder to save its tokenizer files from.
                Path tokenizerCopy = dir.resolve(PreparedDataset.TOKENIZER_DIR);
                Files.createDirectories(tokenizerCopy);
                tokenizer.saveTo(tokenizerCopy);
                return manifest;
            });
        }
    }

    /** One preparation: the state shared by the files it reads. */
    private static final class Run {
        private final TextTokenizer tokenizer;
        private final TokenizerIdentity identity;
        private final PrepareOptions options;
        private final ProgressListener listener;
        private final long totalBytes;
        private final Path dir;
        private final IdWidth width;
        private final DatasetWriter writer;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private CharBuffer chars = CharBuffer.allocate(1 << 12);
        private final List<String> batch = new ArrayList<>();
        private long batchChars;
        private final long unkId;
        /** Tokens of the text that are the unknown token (the CLS and SEP around them never are). */
        private long unknownTokens;
        private long documents;
        private long bytesOfFinishedFiles;

        Run(TextTokenizer tokenizer, TokenizerIdentity identity, PrepareOptions options, ProgressListener listener,
                long totalBytes, Path dir) {
            this.tokenizer = tokenizer;
            this.identity = identity;
            this.options = options;
            this.listener = listener;
            this.totalBytes = totalBytes;
            this.dir = dir;
            this.width = IdWidth.forVocabSize(tokenizer.vocabSize());
            SpecialTokens specials = tokenizer.specialTokens();
            this.unkId = specials.unkId();
            this.writer = new DatasetWriter(dir, width, tokenizer.vocabSize(), options.shardTokens(),
                    ShardLayout.MAX_SHARD_BYTES, specials.clsId(), specials.sepId());
        }

        PreparedManifest prepare(List<Path> files) throws IOException {
            try (writer) {
                List<SourceFile> sources = new ArrayList<>();
                for (Path f : files) {
                    sources.add(documents < options.maxLines() ? read(f) : unread(f));
                }
                return finish(sources, files.get(0) + (files.size() > 1 ? " and the other inputs" : ""));
            }
        }

        private PreparedManifest finish(List<SourceFile> sources, String inputs) throws IOException {
            flush(null);
            if (writer.sequences() == 0) {
                throw new UserError(inputs + ": no non-blank line to prepare; give text with one document a line");
            }
            DatasetWriter.Written written = writer.finish();
            PreparedManifest manifest = new PreparedManifest(createdBy(), identity, width, written.sequences(),
                    written.tokens(), OptionalLong.of(unknownTokens), sources, written.shards(), written.counts(),
                    options);
            AtomicFiles.writeString(dir.resolve(PreparedManifest.FILE), manifest.toJson());
            listener.progress(totalBytes, totalBytes, written.sequences());
            return manifest;
        }

        private SourceFile read(Path file) throws IOException {
            long lines = 0;
            long used = 0;
            boolean complete;
            String sha;
            try (TextSource source = open(file)) {
                ByteLines reader = new ByteLines(source.text());
                while (true) {
                    if (documents == options.maxLines()) {
                        complete = !readLine(source, reader);
                        break;
                    }
                    if (!readLine(source, reader)) {
                        complete = true;
                        break;
                    }
                    lines++;
                    String text = Text.strip(decode(source, reader));
                    if (text.isEmpty()) {
                        continue;
                    }
                    used++;
                    documents++;
                    batch.add(text);
                    batchChars += text.length();
                    if (batch.size() >= BATCH_LINES || batchChars >= BATCH_CHARS) {
                        flush(source);
                    }
                }
                flush(source);
                sha = guarded(source, source::finishDigest);
                bytesOfFinishedFiles += Files.size(file);
                return new SourceFile(file.toAbsolutePath().normalize().toString(), Files.size(file), sha,
                        source.compression().jsonName, lines, used, complete);
            }
        }

        /** A file after the line limit was reached: listed with its checksum, nothing taken from it. */
        private SourceFile unread(Path file) {
            try {
                return new SourceFile(file.toAbsolutePath().normalize().toString(), Files.size(file),
                        Sha256.of(file), TextSource.Compression.of(file).jsonName, 0, 0, false);
            } catch (IOException e) {
                throw new UserError(file + ": cannot read (" + e.getMessage() + "); check the file");
            }
        }

        private TextSource open(Path file) {
            try {
                return new TextSource(file);
            } catch (IOException e) {
                throw readError(file, TextSource.Compression.of(file), e);
            }
        }

        private boolean readLine(TextSource source, ByteLines reader) {
            try {
                return reader.next();
            } catch (ByteLines.LineTooLong e) {
                throw new UserError(source.file() + ": line " + e.line + " is longer than "
                        + (ByteLines.MAX_LINE_BYTES >> 20) + " MiB; give text with one document a line");
            } catch (IOException e) {
                throw readError(source.file(), source.compression(), e);
            }
        }

        private String decode(TextSource source, ByteLines reader) {
            ByteBuffer in = ByteBuffer.wrap(reader.bytes(), 0, reader.length());
            if (chars.capacity() < reader.length()) {
                chars = CharBuffer.allocate(reader.length()); // UTF-8 never gives more chars than bytes
            }
            chars.clear();
            utf8.reset();
            CoderResult result = utf8.decode(in, chars, true);
            if (!result.isError()) {
                result = utf8.flush(chars);
            }
            if (result.isError()) {
                throw new UserError(source.file() + ": line " + reader.number() + " is not valid UTF-8 (byte "
                        + (in.position() + 1) + " of the line); convert the file to UTF-8");
            }
            chars.flip();
            String text = chars.toString();
            // A byte-order mark is not text; Python's "utf8" codec would keep it as U+FEFF.
            return reader.number() == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text;
        }

        /** Tokenizes and writes the pending batch; {@code source} (may be null) is for progress. */
        private void flush(TextSource source) throws IOException {
            if (!batch.isEmpty()) {
                for (long[] ids : tokenizer.encodeAll(batch)) {
                    for (long id : ids) {
                        unknownTokens += id == unkId ? 1 : 0;
                    }
                    writer.add(ids);
                }
                batch.clear();
                batchChars = 0;
            }
            long read = bytesOfFinishedFiles + (source == null ? 0 : source.rawBytesRead());
            listener.progress(Math.min(read, totalBytes), totalBytes, writer.sequences());
        }

        private interface IoCall<T> {
            T call() throws IOException;
        }

        private static <T> T guarded(TextSource source, IoCall<T> call) {
            try {
                return call.call();
            } catch (IOException e) {
                throw readError(source.file(), source.compression(), e);
            }
        }
    }

    private static UserError readError(Path file, TextSource.Compression compression, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        if (compression == TextSource.Compression.NONE) {
            return new UserError(file + ": cannot read (" + why + "); check the file");
        }
        return new UserError(file + ": cannot decompress (" + why + "); the file is truncated or not "
                + compression.jsonName + " data, download or compress it again");
    }

    static String createdBy() {
        String v = DatasetPreparer.class.getPackage().getImplementationVersion();
        return "distil-train " + (v == null ? "(development build)" : v);
    }
}
