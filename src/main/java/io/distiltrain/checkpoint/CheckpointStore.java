// Over ~350 lines on purpose: save, list, verify and prune share one invariant (the newest valid
// checkpoint is never lost) and one lock; splitting them would spread that argument over files.
package io.distiltrain.checkpoint;

import io.distiltrain.Sha256;

import io.distiltrain.AtomicFiles;
import io.distiltrain.UserError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The checkpoints of one run, {@code <output_dir>/checkpoints/step-N}, published so that a crash at
 * any moment leaves either the previous set of checkpoints or the previous set plus a complete new
 * one.
 *
 * <p>A reader never sees a half-written {@code step-N}: every checkpoint is written into a hidden
 * staging folder beside it ({@code .step-N.tmp-<random>}), each file and folder is forced to disk,
 * and only then is the complete folder renamed to {@code step-N} in one atomic rename (and the
 * parent forced, so the rename survives a power cut). Deletion runs the other way round: a pruned
 * folder is first renamed away, then deleted. Should the file system lose data anyway (a disk that
 * acknowledges writes it has not made, a user editing files), {@code CHECKSUMS.json} tells: sizes
 * are checked whenever folders are listed, sha256 hashes before a checkpoint is relied on.
 *
 * <p>One store (one process) writes a checkpoints folder at a time: pruning removes staging folders
 * it takes for a crash's leftovers. Methods are synchronized so that a background saver thread and
 * the training loop can share one store.
 */
public final class CheckpointStore {
    private final Path dir;
    private final int keepLast;
    private final Consumer<String> warnings;
    private final Clock clock;
    /** Invalid folders already reported, so that pruning after every save does not repeat itself. */
    private final Set<Path> warned = new HashSet<>();
    /**
     * Checkpoints whose hashes this store wrote or checked, with their manifest's modification time:
     * pruning after every save would otherwise hash the kept checkpoints (gigabytes) again each time.
     */
    private final Map<Path, FileTime> vouched = new HashMap<>();

    /**
     * @param checkpointsDir {@code <output_dir>/checkpoints}; created on the first save
     * @param keepLast how many valid checkpoints pruning keeps, at least 1
     * @param warnings receives one-line warnings (corrupt checkpoints skipped or left in place,
     *     leftovers removed)
     */
    public CheckpointStore(Path checkpointsDir, int keepLast, Consumer<String> warnings) {
        this(checkpointsDir, keepLast, warnings, Clock.systemUTC());
    }

    CheckpointStore(Path checkpointsDir, int keepLast, Consumer<String> warnings, Clock clock) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be at least 1 (the newest valid checkpoint is always kept), got "
                    + keepLast);
        }
        this.dir = checkpointsDir.toAbsolutePath().normalize();
        this.keepLast = keepLast;
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Path directory() {
        return dir;
    }

    /**
     * Publishes the checkpoint of {@code step}: creates a staging folder ({@code .step-N.tmp-<random>}
     * beside the final one), lets {@code fill} write into it, writes {@code CHECKSUMS.json} (size and
     * sha256 of every file, recursively), forces every file and folder to disk, renames the staging
     * folder atomically to {@code step-N}, forces the parent, then {@linkplain #prune() prunes}.
     *
     * <p>If {@code step-N} exists and verifies, that is a bug in the caller (a run saves each step
     * once): IllegalStateException, and nothing is written. If it exists but does not verify (a torn
     * or corrupt earlier attempt), it is renamed to {@code .step-N.corrupt-<time>} first, not
     * deleted. If {@code fill} throws, the staging folder is deleted and the exception rethrown.
     *
     * @return the published folder, {@code <checkpoints>/step-N}
     */
    public synchronized Path save(long step, CheckpointFiller fill) throws IOException {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative, got " + step);
        }
        Objects.requireNonNull(fill, "fill");
        Files.createDirectories(dir);
        clearTheWay(step);
        Path published = publish(step, stage(step, fill));
        prune();
        return published;
    }

    /**
     * Every {@code step-N} folder, ascending by N as a number (step-900 before step-1200), with a
     * verdict that reads no file contents: {@link Verdict.Level#COMPLETE} when the manifest is
     * there and the files and their sizes match it, invalid otherwise. Hidden staging, deleting and
     * corrupt folders are not checkpoints and are not listed. Empty when the folder does not exist.
     */
    public synchronized List<CheckpointRef> list() {
        List<CheckpointRef> refs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return refs;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                OptionalLong step = FolderNames.parseStep(p.getFileName().toString());
                if (step.isPresent() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Verdict verdict = Verifier.check(p, step, Verifier.Depth.STRUCTURE).verdict();
                    refs.add(new CheckpointRef(step.getAsLong(), p, verdict));
                }
            }
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list checkpoints (" + Verifier.describe(e)
                    + "); make the folder readable or choose another output_dir");
        }
        refs.sort(Comparator.comparingLong(CheckpointRef::step));
        return refs;
    }

    /**
     * The newest checkpoint whose files all match their sizes and sha256, with verdict VERIFIED.
     * Each newer one that does not is skipped with a warning ("checkpoint step-1200 is incomplete or
     * corrupt (model.safetensors: sha256 mismatch); skipping it"). Empty when none verifies.
     */
    public synchronized Optional<CheckpointRef> newestValid() {
        List<CheckpointRef> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            CheckpointRef ref = all.get(i);
            Verdict verdict = ref.verdict().valid() ? fullVerdict(ref) : ref.verdict();
            if (verdict.valid()) {
                return Optional.of(new CheckpointRef(ref.step(), ref.path(), verdict));
            }
            warnings.accept(invalidMessage(ref, verdict, "skipping it"));
            warned.add(ref.path());
        }
        return Optional.empty();
    }

    /**
     * Verifies a checkpoint folder the user named (for example to resume from), hashes included.
     * The folder may have any name; one named {@code step-N} must hold step N.
     *
     * @return the checkpoint, with the step its manifest records and verdict VERIFIED
     * @throws UserError naming the folder and the first problem when it does not verify
     */
    public static CheckpointRef verify(Path checkpointDir) {
        Path folder = checkpointDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new UserError(checkpointDir + ": no such checkpoint folder; give a folder such as "
                    + "<output_dir>/checkpoints/step-1200");
        }
        Path name = folder.getFileName();
        OptionalLong named = name == null ? OptionalLong.empty() : FolderNames.parseStep(name.toString());
        Verifier.Result result = Verifier.check(folder, named, Verifier.Depth.CONTENT);
        if (result.verdict().valid()) {
            return new CheckpointRef(result.manifest().step(), folder, result.verdict());
        }
        if (result.manifest() == null) {
            // The commonest slip: the checkpoints folder itself instead of one of its step-N folders.
            List<CheckpointRef> inside = new CheckpointStore(folder, 1, w -> { }).list();
            if (!inside.isEmpty()) {
                throw new UserError(checkpointDir + ": this is a folder of checkpoints, not one checkpoint; give one of "
                        + "its step-N folders, e.g. " + inside.get(inside.size() - 1).path());
            }
        }
        throw new UserError(checkpointDir + ": not a valid checkpoint (" + result.verdict().problem()
                + "); give another checkpoint folder, such as an older step-N beside it");
    }

    /**
     * Keeps the newest {@code keepLast} valid checkpoints and deletes the older valid ones. Invalid
     * checkpoints are never deleted (they may be all that is left of a run, and someone may want to
     * look at them): they stay, with one warning each. Staging folders left by a crashed save
     * ({@code .step-*.tmp-*}) and folders a crashed prune was deleting are removed.
     *
     * <p>Before anything is deleted, the checkpoints that justify the deletion are verified by
     * hash (once per store: those it saved itself count as verified), so the newest valid checkpoint
     * is never deleted on the strength of a corrupt newer one that merely has the right file sizes.
     * Failures to delete are warnings, not errors: the new checkpoint is already safe.
     */
    public synchronized void prune() {
        removeLeftovers();
        List<CheckpointRef> all = list();
        List<CheckpointRef> valid = new ArrayList<>();
        for (CheckpointRef ref : all) {
            if (ref.verdict().valid()) {
                valid.add(0, ref); // newest first
            } else {
                warnLeftInPlace(ref, ref.verdict());
            }
        }
        if (valid.size() <= keepLast) {
            return;
        }
        int kept = 0;
        int i = 0;
        for (; i < valid.size() && kept < keepLast; i++) {
            CheckpointRef ref = valid.get(i);
            Verdict verdict = fullVerdict(ref);
            if (verdict.valid()) {
                kept++;
            } else {
                warnLeftInPlace(ref, verdict);
            }
        }
        for (; i < valid.size(); i++) {
            delete(valid.get(i));
        }
    }

    /** Moves an invalid {@code step-N} out of the way of a new save of that step; refuses a valid one. */
    private void clearTheWay(long step) throws IOException {
        Path target = dir.resolve(FolderNames.step(step));
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Verdict verdict = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
                ? Verifier.check(target, OptionalLong.of(step), Verifier.Depth.CONTENT).verdict()
                : Verdict.invalid("not a folder");
        if (verdict.valid()) {
            throw new IllegalStateException(target + " already holds a valid checkpoint; a run saves each step once");
        }
        Path aside = dir.resolve(FolderNames.corrupt(step, clock.instant()));
        for (int n = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
            aside = dir.resolve(FolderNames.corrupt(step, clock.instant()) + "-" + n);
        }
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(dir);
        vouched.remove(target);
        warned.remove(target);
        warnings.accept("checkpoint " + target.getFileName() + " is incomplete or corrupt (" + verdict.problem()
                + "); moved it aside to " + aside.getFileName() + " before saving step " + step + " again");
    }

    /**
     * Everything up to the rename: staging folder, {@code fill}, manifest, fsync of every file and
     * folder. A crash after this leaves only a hidden staging folder, which is no checkpoint.
     *
     * @return the sealed staging folder
     */
    Path stage(long step, CheckpointFiller fill) throws IOException {
        Files.createDirectories(dir);
        Path staging = createStagingFolder(step);
        boolean sealed = false;
        try {
            fill.fill(staging);
            seal(step, staging);
            sealed = true;
            return staging;
        } finally {
            if (!sealed) {
                AtomicFiles.deleteRecursively(staging);
            }
        }
    }

    /** The rename that makes a sealed staging folder the checkpoint {@code step-N}. */
    Path publish(long step, Path staging) throws IOException {
        Path target = dir.resolve(FolderNames.step(step));
        try {
            // No fallback to a plain move: a rename that is not atomic would defeat the whole design.
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            AtomicFiles.deleteRecursively(staging);
            throw e;
        }
        AtomicFiles.syncDirectory(dir);
        vouch(target);
        return target;
    }

    // Not Files.createTempDirectory: that creates the folder as 0700, and after the rename a checkpoint
    // meant to be shared with a team would be readable by its owner only.
    private Path createStagingFolder(long step) throws IOException {
        while (true) {
            try {
                return Files.createDirectory(dir.resolve(FolderNames.staging(step)));
            } catch (FileAlreadyExistsException taken) {
                // a random name already used: draw another
            }
        }
    }

    /** Hashes and forces every file the filler wrote, writes the manifest, forces every folder. */
    private static void seal(long step, Path staging) throws IOException {
        FolderContents contents = FolderContents.scan(staging);
        if (!contents.others().isEmpty()) {
            throw new IllegalStateException("checkpoint step " + step + ": " + contents.others().get(0)
                    + " is not a regular file; a checkpoint holds regular files only, so that it depends on nothing outside it");
        }
        if (contents.files().containsKey(Manifest.FILE)) {
            throw new IllegalStateException("checkpoint step " + step + ": the filler wrote " + Manifest.FILE
                    + ", which the checkpoint store writes itself");
        }
        List<Manifest.Entry> entries = new ArrayList<>();
        for (String path : contents.files().keySet()) {
            // Read access is enough to fsync on Linux and macOS, and lets a filler leave its files read-only.
            try (FileChannel ch = FileChannel.open(FolderContents.resolve(staging, path), StandardOpenOption.READ)) {
                long size = ch.size();
                String sha256 = Sha256.of(ch);
                ch.force(true);
                entries.add(new Manifest.Entry(path, size, sha256));
            }
        }
        writeAndForce(staging.resolve(Manifest.FILE), new Manifest(step, entries).toJson());
        for (Path folder : contents.dirs()) { // children first, the staging folder itself last
            AtomicFiles.syncDirectory(folder);
        }
    }

    private static void writeAndForce(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private Verdict fullVerdict(CheckpointRef ref) {
        if (isVouched(ref.path())) {
            return Verdict.verified();
        }
        Verdict verdict = Verifier.check(ref.path(), OptionalLong.of(ref.step()), Verifier.Depth.CONTENT).verdict();
        if (verdict.valid()) {
            vouch(ref.path());
        }
        return verdict;
    }

    private void vouch(Path checkpoint) {
        try {
            vouched.put(checkpoint, Files.getLastModifiedTime(checkpoint.resolve(Manifest.FILE)));
        } catch (IOException e) {
            vouched.remove(checkpoint); // it will simply be hashed again when it matters
        }
    }

    // The manifest's time changes when the folder is replaced by another (moved aside and saved
    // again, or copied over by hand), which must not inherit the old folder's verdict.
    private boolean isVouched(Path checkpoint) {
        FileTime known = vouched.get(checkpoint);
        try {
            return known != null && known.equals(Files.getLastModifiedTime(checkpoint.resolve(Manifest.FILE)));
        } catch (IOException e) {
            return false;
        }
    }

    private void warnLeftInPlace(CheckpointRef ref, Verdict verdict) {
        if (warned.add(ref.path())) {
            warnings.accept(invalidMessage(ref, verdict, "leaving it in place; delete it by hand once it is of no use"));
        }
    }

    private static String invalidMessage(CheckpointRef ref, Verdict verdict, String outcome) {
        return "checkpoint " + ref.name() + " is incomplete or corrupt (" + verdict.problem() + "); " + outcome;
    }

    /** Renamed away first, so that a crash halfway through the deletion leaves no torn step-N behind. */
    private void delete(CheckpointRef ref) {
        Path doomed = dir.resolve(FolderNames.deleting(ref.step()));
        try {
            Files.move(ref.path(), doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException e) {
            warnings.accept("could not delete old checkpoint " + ref.name() + " (" + Verifier.describe(e)
                    + "); delete " + ref.path() + " by hand");
            return;
        }
        vouched.remove(ref.path());
        AtomicFiles.deleteRecursively(doomed);
    }

    /** Staging folders of saves that never finished, and folders whose deletion never finished. */
    private void removeLeftovers() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (FolderNames.isStaging(name) || FolderNames.isDeleting(name)) {
                    leftovers.add(p);
                }
            }
        } catch (IOException e) {
            warnings.accept("could not look for leftovers of interrupted saves in " + dir + " (" + Verifier.describe(e) + ")");
            return;
        }
        for (Path p : leftovers) {
            AtomicFiles.deleteRecursively(p);
            if (FolderNames.isStaging(p.getFileName().toString())) {
                warnings.accept(Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                        ? "could not remove " + p + ", left by a save that did not finish; delete it by hand"
                        : "removed " + p.getFileName() + ", left by a save that did not finish");
            }
        }
    }
}
