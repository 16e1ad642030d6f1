package io.distiltrain.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Disk and file problems in words a user acts on: "PATH: permission denied", "PATH: no space left
 * on device", never the name of a Java exception class. Built from the exception's type and its
 * {@code getFile()}, {@code getOtherFile()} and {@code getReason()}.
 */
final class IoProblems {
    private IoProblems() {
    }

    /** {@code java.io}'s "PATH (Reason)" messages (FileInputStream, FileOutputStream, RandomAccessFile). */
    private static final Pattern PATH_AND_REASON = Pattern.compile("(.+) \\(([^()]+)\\)");

    /** The problem as "PATH: what is wrong", or "what is wrong" when the exception names no file. */
    static String describe(IOException e) {
        if (e instanceof FileSystemException fs) {
            String what = problem(fs);
            String where = fs.getFile();
            if (where != null && fs.getOtherFile() != null) {
                where = where + " -> " + fs.getOtherFile();
            }
            return where == null ? what : where + ": " + what;
        }
        if (e instanceof FileNotFoundException && e.getMessage() != null) {
            Matcher m = PATH_AND_REASON.matcher(e.getMessage());
            if (m.matches()) {
                return m.group(1) + ": " + reason(m.group(2));
            }
            return e.getMessage() + ": " + reason("no such file or directory");
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "input/output error";
        }
        return reason(message);
    }

    /**
     * The problem with what the code was doing when it happened ({@code context}, e.g. "cannot
     * write out.json"), said once: a context that already ends with the exception's own message
     * or names the same file is not repeated.
     */
    static String describe(String context, IOException e) {
        String problem = describe(e);
        if (context == null || context.isBlank() || context.equals(e.toString())) {
            return problem;
        }
        String c = context;
        for (String repeated : new String[] {e.toString(), e.getMessage()}) {
            // "X: cannot open: " + e.getMessage(): the message is said again below, in words
            if (repeated != null && !repeated.isEmpty() && c.endsWith(": " + repeated)) {
                c = c.substring(0, c.length() - repeated.length() - 2);
            }
        }
        String file = e instanceof FileSystemException fs ? fs.getFile() : null;
        if (file != null && problem.startsWith(file + ": ") && (c.endsWith(" " + file) || c.endsWith(file + ":"))) {
            // "cannot write a.json" + "a.json: permission denied" -> "cannot write a.json: permission denied"
            return c.replaceAll(":$", "") + problem.substring(file.length());
        }
        return c + ": " + problem;
    }

    /**
     * The one-line description of the first I/O exception in {@code t}'s chain of causes, with
     * the context that the exception wrapping it adds ("cannot write FILE"), or null when there
     * is no I/O exception in the chain.
     */
    static String explain(Throwable t) {
        IOException io = find(t);
        if (io == null) {
            return null;
        }
        Throwable wrapper = null;
        for (Throwable c = t; c != null && c != io; c = c.getCause()) {
            wrapper = c;
        }
        return describe(wrapper == null ? null : context(wrapper, io), io);
    }

    /** The first I/O exception in a chain of causes, or null. */
    static IOException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /** The context an {@link UncheckedIOException} (or another wrapper) adds, or null when it adds none. */
    static String context(Throwable wrapper, IOException cause) {
        if (wrapper == cause) {
            return null;
        }
        String m = wrapper.getMessage();
        if (m == null || m.equals(cause.toString()) || m.equals(cause.getMessage())) {
            return null;
        }
        return m;
    }

    private static String problem(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "the folder is not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        return e.getReason() == null ? "input/output error" : reason(e.getReason());
    }

    /** An operating system's reason ("No space left on device") in the CLI's words. */
    static String reason(String reason) {
        String r = reason.strip().toLowerCase(Locale.ROOT);
        if (r.contains("no space left")) {
            return "no space left on device";
        }
        if (r.contains("read-only file system")) {
            return "read-only file system";
        }
        if (r.contains("permission denied") || r.contains("access is denied") || r.contains("operation not permitted")) {
            return "permission denied";
        }
        if (r.contains("no such file or directory") || r.contains("cannot find the")) {
            return "no such file or folder";
        }
        if (r.contains("disk quota exceeded")) {
            return "disk quota exceeded";
        }
        if (r.contains("is a directory")) {
            return "is a folder, not a file";
        }
        if (r.contains("not a directory")) {
            return "not a folder";
        }
        if (r.contains("directory not empty")) {
            return "the folder is not empty";
        }
        if (r.contains("too many open files")) {
            return "too many open files; raise the limit (ulimit -n)";
        }
        if (r.contains("input/output error")) {
            return "input/output error (the disk or network file system may be failing)";
        }
        if (r.contains("file too large")) {
            return "file too large for this file system";
        }
        String plain = reason.strip();
        if (plain.isEmpty()) {
            return "input/output error";
        }
        // An operating system's sentence reads lower-case after "PATH: "; a message that names a
        // path is left as it is (a path's case matters).
        return plain.contains("/") || plain.contains("\\") ? plain
                : Character.toLowerCase(plain.charAt(0)) + plain.substring(1);
    }
}
