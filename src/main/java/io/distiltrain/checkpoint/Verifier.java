package io.distiltrain.checkpoint;

import io.distiltrain.Sha256;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/** Checks a checkpoint folder against its manifest and reports the first problem found. */
final class Verifier {
    /** How much to read: the listing of files only, or every byte of them too. */
    enum Depth {
        STRUCTURE,
        CONTENT
    }

    /**
     * @param verdict the outcome
     * @param manifest the manifest read, or null where it could not be
     */
    record Result(Verdict verdict, Manifest manifest) {
    }

    private Verifier() {
    }

    /**
     * @param expectedStep the step the folder's name stands for, when it is named {@code step-N}: a
     *     manifest for another step means the folder was copied or renamed, and resuming from it
     *     would resume at the wrong place
     */
    static Result check(Path dir, OptionalLong expectedStep, Depth depth) {
        Path manifestFile = dir.resolve(Manifest.FILE);
        Manifest manifest;
        try {
            if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
                return invalid(Manifest.FILE + " missing", null);
            }
            manifest = Manifest.parse(Files.readAllBytes(manifestFile));
        } catch (Manifest.Malformed e) {
            return invalid(Manifest.FILE + ": " + e.getMessage(), null);
        } catch (IOException e) {
            return invalid("cannot read " + describe(e), null);
        }
        if (expectedStep.isPresent() && manifest.step() != expectedStep.getAsLong()) {
            return invalid(Manifest.FILE + " is for step " + manifest.step() + ", not " + expectedStep.getAsLong(),
                    manifest);
        }
        try {
            String problem = structureProblem(dir, manifest);
            if (problem == null && depth == Depth.CONTENT) {
                problem = contentProblem(dir, manifest);
            }
            if (problem != null) {
                return invalid(problem, manifest);
            }
        } catch (IOException e) {
            return invalid("cannot read " + describe(e), manifest);
        }
        return new Result(depth == Depth.CONTENT ? Verdict.verified() : Verdict.complete(), manifest);
    }

    // Cheap: one directory walk and no file opened. Catches torn, truncated and tampered-with folders.
    private static String structureProblem(Path dir, Manifest manifest) throws IOException {
        FolderContents found = FolderContents.scan(dir);
        if (!found.others().isEmpty()) {
            return found.others().get(0) + ": not a regular file";
        }
        Set<String> listed = new HashSet<>();
        listed.add(Manifest.FILE);
        for (Manifest.Entry e : manifest.files()) {
            listed.add(e.path());
            Long size = found.files().get(e.path());
            if (size == null) {
                return e.path() + ": missing";
            }
            if (size != e.size()) {
                return e.path() + ": " + size + " bytes, " + e.size() + " expected";
            }
        }
        for (String path : found.files().keySet()) {
            if (!listed.contains(path)) {
                return path + ": not listed in " + Manifest.FILE;
            }
        }
        return null;
    }

    private static String contentProblem(Path dir, Manifest manifest) throws IOException {
        for (Manifest.Entry e : manifest.files()) {
            if (!Sha256.of(FolderContents.resolve(dir, e.path())).equals(e.sha256())) {
                return e.path() + ": sha256 mismatch";
            }
        }
        return null;
    }

    private static Result invalid(String problem, Manifest manifest) {
        return new Result(Verdict.invalid(problem), manifest);
    }

    static String describe(IOException e) {
        String what = e.getClass().getSimpleName().replace("Exception", "");
        if (e instanceof FileSystemException fse) {
            String file = fse.getFile() == null ? "" : Path.of(fse.getFile()).getFileName() + ": ";
            return file + (fse.getReason() != null ? fse.getReason() : what);
        }
        return what + ": " + e.getMessage();
    }
}
