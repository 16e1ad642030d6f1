package io.distiltrain.checkpoint;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything under a folder, without following symlinks: regular files by relative path (with "/"
 * whatever the platform, as the manifest stores them), anything else that is not a folder, and the
 * folders themselves.
 *
 * @param files size of each regular file, by relative path, sorted
 * @param others relative paths of symlinks, sockets and the like, sorted
 * @param dirs every folder, children before their parent (the order in which to sync them), the
 *     root last
 */
record FolderContents(SortedMap<String, Long> files, List<String> others, List<Path> dirs) {
    FolderContents {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        others = others.stream().sorted().toList();
        dirs = List.copyOf(dirs);
    }

    static FolderContents scan(Path root) throws IOException {
        SortedMap<String, Long> files = new TreeMap<>();
        List<String> others = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.put(relative(root, file), attrs.size());
                } else {
                    others.add(relative(root, file));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                dirs.add(dir);
                return FileVisitResult.CONTINUE;
            }
        });
        return new FolderContents(files, others, dirs);
    }

    static String relative(Path root, Path file) {
        Path rel = root.relativize(file);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /** The file a manifest path names; the manifest has already refused "..", "." and absolute paths. */
    static Path resolve(Path root, String relative) {
        Path p = root;
        for (String part : relative.split("/")) {
            p = p.resolve(part);
        }
        return p;
    }
}
