package io.distiltrain.cli;

import ai.djl.Device;
import io.distiltrain.UserError;
import io.distiltrain.config.DeviceSpec;
import io.distiltrain.hub.FileChoice;
import io.distiltrain.hub.HubFetch;
import io.distiltrain.hub.HubPaths;
import io.distiltrain.hub.HubRepo;
import io.distiltrain.hub.HubSettings;
import io.distiltrain.metrics.ProgressBar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** Options and checks shared by the commands. */
final class Common {
    private Common() {
    }

    /** The {@code --devices} option, mixed into commands that run a model. */
    static final class DeviceOption {
        @Option(names = "--devices", defaultValue = "auto", paramLabel = "SPEC",
                description = "cpu, auto (every GPU, else CPU), gpu:0, gpu:0-7 or gpu:0,2. Default: ${DEFAULT-VALUE}.")
        String devices;

        /** The first device of the spec: single-device commands run there. */
        Device first() {
            return DeviceSpec.parse(devices).resolve().get(0);
        }
    }

    static Path existingDir(Path dir, String option) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(option + " " + dir + ": no such folder; give the path of a Hugging Face model folder");
        }
        return dir;
    }

    /**
     * A model folder option: a local folder, or a Hub id ({@code org/name[@revision]}) fetched into
     * the Hugging Face cache (or found there), whose snapshot folder is returned.
     */
    static Path modelFolder(Path given, String option) {
        if (Files.isDirectory(given)) {
            return given;
        }
        String text = given.toString().startsWith("hf:/") && !given.toString().startsWith("hf://")
                ? "hf://" + given.toString().substring(4) : given.toString(); // Path folds "//"
        java.util.Optional<HubRepo> repo = HubPaths.model(text, Path.of(""));
        if (repo.isEmpty()) {
            throw new UserError(option + " " + given + ": no such folder; give a Hugging Face model folder or a Hub"
                    + " id such as google-bert/bert-base-uncased");
        }
        HubFetch fetch = new HubFetch(HubSettings.fromEnvironment(), new java.io.PrintWriter(System.err, true),
                ProgressBar.Settings.detect());
        return fetch.fetch(repo.get(), FileChoice.model()).folder();
    }

    static Path existingFile(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(option + " " + file + ": no such file");
        }
        return file;
    }

    /** An output folder must be new or empty: nothing a user made is overwritten. */
    static void requireFreshDir(Path dir, String option) {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new UserError(option + " " + dir + " is a file; choose a folder that does not exist yet");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new UserError(option + " " + dir + " is not empty; choose a new folder or remove it first");
                }
            } catch (IOException e) {
                throw new UserError(option + " " + IoProblems.describe("cannot read " + dir, e), e);
            }
        }
    }

    static void requireFreshFile(Path file, boolean overwrite, String option) {
        if (Files.exists(file) && !overwrite) {
            throw new UserError(option + " " + file + " exists; choose another name or pass --overwrite");
        }
    }
}
