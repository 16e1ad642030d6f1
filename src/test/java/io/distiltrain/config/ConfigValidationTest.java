package io.distiltrain.config;

import static io.distiltrain.config.ConfigFixtures.assertMentions;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule refuses with one line that names the key (and the fix where there is one). */
class ConfigValidationTest {
    @TempDir
    Path dir;

    ConfigFixtures fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixtures(dir);
    }

    // ---- unknown keys -------------------------------------------------------------------------

    @Test
    void misspeltKeyGetsASuggestion() {
        String m = fx.errorWith("distillation: {temprature: 3.0}\n");
        assertMentions(m, "distillation.temprature: unknown key; did you mean distillation.temperature?",
                "run.yaml");
    }

    @Test
    void keyInTheWrongSectionPointsToItsSection() {
        assertMentions(fx.errorWith("training: {learning_rate: 1.0e-4}\n"), "training.learning_rate: unknown key",
                "did you mean optimizer.learning_rate?");
    }

    @Test
    void farOffKeyListsTheSectionsKeys() {
        assertMentions(fx.errorWith("logging: {tensorboard: true}\n"), "logging.tensorboard: unknown key",
                "log_interval");
    }

    @Test
    void misspeltSectionGetsASuggestion() {
        assertMentions(fx.errorWith("distilation: {temperature: 3.0}\n"), "distilation: unknown section",
                "did you mean distillation?");
    }

    @Test
    void keyAtTheTopLevelPointsToItsSection() {
        assertMentions(fx.errorWith("seed: 1\n"), "seed: unknown section", "did you mean run.seed?");
    }

    @Test
    void unknownKeysComeBeforeRangeErrors() {
        // The typo is the cause; the range error on another key would only mislead.
        assertMentions(fx.errorWith("training: {batch_size: 0, n_epochs: 2}\n"), "training.n_epochs: unknown key",
                "did you mean training.n_epoch?");
    }

    @Test
    void levenshteinDistances() {
        assertEquals(0, Schema.levenshtein("mlm", "mlm"));
        assertEquals(1, Schema.levenshtein("temprature", "temperature"));
        assertEquals(3, Schema.levenshtein("kitten", "sitting"));
        assertEquals("word_rand", Schema.closest("word_ran", Schema.SECTIONS.get("distillation")));
        assertNull(Schema.closest("xyz", List.of("mlm")));
    }

    // ---- types --------------------------------------------------------------------------------

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("distillation: {temperature: hot}\n", "distillation.temperature", "expected a number"),
                Arguments.of("distillation: {alpha_ce: '5.0'}\n", "distillation.alpha_ce", "expected a number"),
                Arguments.of("training: {batch_size: 2.5}\n", "training.batch_size", "expected an integer"),
                Arguments.of("training: {batch_size: five}\n", "training.batch_size", "expected an integer"),
                Arguments.of("training: {n_epoch: null}\n", "training.n_epoch", "expected an integer"),
                Arguments.of("optimizer: {betas: [0.9, 0.98, 0.999]}\n", "optimizer.betas", "list of 2 numbers"),
                Arguments.of("optimizer: {betas: 0.9}\n", "optimizer.betas", "list of 2 numbers"),
                Arguments.of("optimizer: {betas: [0.9, x]}\n", "optimizer.betas[1]", "expected a number"),
                Arguments.of("distillation: {mlm: 1}\n", "distillation.mlm", "expected true or false"),
                Arguments.of("teacher: {model: teacher, precision: fp8}\n", "teacher.precision", "fp32, bf16, fp16"),
                Arguments.of("training: {precision: half}\n", "training.precision", "fp32, bf16, fp16"),
                Arguments.of("student: {init: copy}\n", "student.init", "from_teacher, folder, scratch"),
                Arguments.of("student: {layers: 6}\n", "student.layers", "list of integers"),
                Arguments.of("student: {layers: [0, 1.5]}\n", "student.layers[1]", "expected an integer"),
                Arguments.of("data: {dataset: 42}\n", "data.dataset", "expected a path"),
                Arguments.of("data: {dataset: ''}\n", "data.dataset", "empty path"),
                Arguments.of("training: {devices: [0, 1]}\n", "training.devices", "expected a string"),
                Arguments.of("run: {seed: 99999999999999999999}\n", "run.seed", "out of range"),
                Arguments.of("training: {batch_size: 3000000000}\n", "training.batch_size", "out of range"),
                Arguments.of("optimizer: 5\n", "optimizer", "expected a mapping"));
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void wrongTypeNamesKeyAndExpectedType(String yaml, String key, String expected) {
        // MINIMAL's own sections are replaced where the case redefines them (last mapping key wins
        // only without duplicate detection, so cases that touch teacher/data start from scratch).
        String base = yaml.startsWith("teacher:") ? "data: {dataset: data}\n"
                : yaml.startsWith("data:") ? "teacher: {model: teacher}\n" : ConfigFixtures.MINIMAL;
        assertMentions(fx.error(base + yaml), key + ": ", expected);
    }

    @Test
    void wholeNumbersWrittenAsFloatsAreIntegers() {
        assertEquals(4000, fx.loadWith("checkpoints: {interval: 4.0e3}\n").checkpoints().interval());
    }

    // ---- ranges -------------------------------------------------------------------------------

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("distillation: {temperature: 0}", "distillation.temperature", "> 0"),
                Arguments.of("distillation: {temperature: -1.0}", "distillation.temperature", "> 0"),
                Arguments.of("distillation: {alpha_ce: -0.5}", "distillation.alpha_ce", ">= 0"),
                Arguments.of("distillation: {alpha_mlm: -1}", "distillation.alpha_mlm", ">= 0"),
                Arguments.of("distillation: {alpha_clm: -1}", "distillation.alpha_clm", ">= 0"),
                Arguments.of("distillation: {alpha_mse: -1}", "distillation.alpha_mse", ">= 0"),
                Arguments.of("distillation: {alpha_cos: -1}", "distillation.alpha_cos", ">= 0"),
                Arguments.of("distillation: {alpha_ce: 0, alpha_mlm: 0, alpha_cos: 0}", "distillation.alpha_ce",
                        "all 0"),
                Arguments.of("distillation: {mlm_mask_prop: 0}", "distillation.mlm_mask_prop", "(0, 1]"),
                Arguments.of("distillation: {mlm_mask_prop: 1.5}", "distillation.mlm_mask_prop", "(0, 1]"),
                Arguments.of("distillation: {word_mask: 1.2, word_keep: -0.1, word_rand: -0.1}",
                        "distillation.word_mask", "[0, 1]"),
                Arguments.of("distillation: {word_keep: -0.1, word_rand: 0.3}", "distillation.word_keep", "[0, 1]"),
                Arguments.of("distillation: {word_rand: 1.1, word_mask: 0, word_keep: 0}", "distillation.word_rand",
                        "[0, 1]"),
                Arguments.of("distillation: {word_mask: 0.7}", "distillation.word_mask", "must be 1"),
                Arguments.of("distillation: {word_rand: 0.1000001}", "word_rand", "must be 1"),
                Arguments.of("distillation: {mlm_smoothing: -0.1}", "distillation.mlm_smoothing", ">= 0"),
                Arguments.of("optimizer: {learning_rate: 0}", "optimizer.learning_rate", "> 0"),
                Arguments.of("optimizer: {adam_epsilon: 0}", "optimizer.adam_epsilon", "> 0"),
                Arguments.of("optimizer: {betas: [1.0, 0.98]}", "optimizer.betas[0]", "[0, 1)"),
                Arguments.of("optimizer: {betas: [0.9, -0.1]}", "optimizer.betas[1]", "[0, 1)"),
                Arguments.of("optimizer: {weight_decay: -0.01}", "optimizer.weight_decay", ">= 0"),
                Arguments.of("optimizer: {warmup_prop: 1.5}", "optimizer.warmup_prop", "[0, 1]"),
                Arguments.of("optimizer: {warmup_prop: -0.1}", "optimizer.warmup_prop", "[0, 1]"),
                Arguments.of("optimizer: {max_grad_norm: 0}", "optimizer.max_grad_norm", "null for no clipping"),
                Arguments.of("optimizer: {max_grad_norm: -1}", "optimizer.max_grad_norm", "> 0"),
                Arguments.of("training: {batch_size: 0}", "training.batch_size", ">= 1"),
                Arguments.of("training: {gradient_accumulation_steps: 0}", "training.gradient_accumulation_steps",
                        ">= 1"),
                Arguments.of("training: {n_epoch: 0}", "training.n_epoch", ">= 1"),
                Arguments.of("training: {max_steps: 0}", "training.max_steps", ">= 1"),
                Arguments.of("training: {max_nan_steps: 0}", "training.max_nan_steps", ">= 1"),
                Arguments.of("checkpoints: {interval: 0}", "checkpoints.interval", ">= 1"),
                Arguments.of("checkpoints: {keep_last: 0}", "checkpoints.keep_last", ">= 1"),
                Arguments.of("logging: {log_interval: 0}", "logging.log_interval", ">= 1"),
                Arguments.of("run: {seed: -1}", "run.seed", ">= 0"),
                Arguments.of("run: {name: a/b}", "run.name", "folder name"),
                Arguments.of("student: {num_layers: 0}", "student.num_layers", ">= 1"),
                Arguments.of("student: {layers: []}", "student.layers", "empty"),
                Arguments.of("student: {layers: [0, -1]}", "student.layers[1]", ">= 0"),
                Arguments.of("student: {layers: [0, 4, 2]}", "student.layers", "increasing"),
                Arguments.of("student: {layers: [0, 2, 2]}", "student.layers", "increasing"),
                Arguments.of("training: {devices: tpu}", "training.devices", "not understood"),
                Arguments.of("training: {devices: 'gpu:7-0'}", "training.devices", "backwards"));
    }

    @ParameterizedTest
    @MethodSource("outOfRange")
    void outOfRangeNamesTheKey(String extra, String key, String rule) {
        assertMentions(fx.errorWith(extra + "\n"), key, rule);
    }

    @Test
    void maxLengthBounds() {
        assertMentions(fx.error("teacher: {model: t}\ndata: {dataset: d, max_length: 11}\n"), "data.max_length",
                "[12, 100000]");
        assertMentions(fx.error("teacher: {model: t}\ndata: {dataset: d, max_length: 100001}\n"), "data.max_length");
        assertEquals(12, fx.load("teacher: {model: t}\ndata: {dataset: d, max_length: 12}\n").data().maxLength());
        assertEquals(100_000, fx.load("teacher: {model: t}\ndata: {dataset: d, max_length: 100000}\n").data()
                .maxLength());
    }

    @Test
    void languageSmoothingIsInZeroToOneOrNull() {
        for (String bad : List.of("0", "-0.5", "1.5", "1.0000001")) {
            assertMentions(fx.error("teacher: {model: t}\ndata: {dataset: d, language_smoothing: " + bad + "}\n"),
                    "data.language_smoothing", "(0, 1]", "concatenation");
        }
        assertMentions(fx.error("teacher: {model: t}\ndata: {dataset: d, language_smoothing: \"0.7\"}\n"),
                "data.language_smoothing", "expected a number");
        assertEquals(1.0, fx.load("teacher: {model: t}\ndata: {dataset: d, language_smoothing: 1}\n").data()
                .languageSmoothing());
        assertNull(fx.load("teacher: {model: t}\ndata: {dataset: d}\n").data().languageSmoothing(),
                "the default is resolved against the dataset when the run starts");
    }

    @Test
    void boundaryValuesAreAccepted() {
        TrainConfig c = fx.loadWith("""
                distillation: {mlm_mask_prop: 1.0, word_mask: 1, word_keep: 0, word_rand: 0, mlm_smoothing: 0}
                optimizer: {betas: [0.0, 0.999], warmup_prop: 1.0, weight_decay: 0, max_grad_norm: null}
                training: {max_steps: 1, batch_size: 1, gradient_accumulation_steps: 1, n_epoch: 1}
                run: {seed: 0}
                """);
        assertNull(c.optimizer().maxGradNorm());
        assertEquals(false, c.optimizer().clipsGradients());
        // Sums that are 1 only up to rounding are accepted: 0.7 + 0.2 + 0.1 != 1.0 in binary.
        assertDoesNotThrow(() -> fx.loadWith("distillation: {word_mask: 0.7, word_keep: 0.2, word_rand: 0.1}\n"));
    }

    @Test
    void datasetIsRequired() {
        assertMentions(fx.error("teacher: {model: t}\n"), "data.dataset: required", "prepare-data");
        assertMentions(fx.error(""), "data.dataset: required");
    }

    // ---- contradictions -----------------------------------------------------------------------

    static Stream<Arguments> contradictions() {
        return Stream.of(
                Arguments.of("distillation: {alpha_clm: 1.0}", List.of("distillation.alpha_mlm",
                        "distillation.alpha_clm", "never both")),
                Arguments.of("distillation: {alpha_mlm: 0, alpha_clm: 1.0}", List.of("distillation.alpha_clm",
                        "distillation.mlm: false", "GPT-2", "not supported")),
                Arguments.of("distillation: {alpha_mlm: 0, alpha_clm: 1.0, mlm: false}", List.of(
                        "distillation.alpha_clm", "GPT-2 students, not supported here", "set alpha_clm: 0")),
                Arguments.of("distillation: {mlm: false}", List.of("distillation.alpha_mlm > 0",
                        "distillation.mlm: true")),
                Arguments.of("distillation: {alpha_mlm: 0, mlm: false, restrict_ce_to_mask: true}", List.of(
                        "distillation.restrict_ce_to_mask", "distillation.mlm: true")),
                Arguments.of("student: {init: folder, model: s, layers: [0, 2]}", List.of("student.layers",
                        "student.init: from_teacher")),
                Arguments.of("student: {init: folder}", List.of("student.model: required", "init: folder")),
                Arguments.of("student: {init: scratch}", List.of("student.config: required", "init: scratch")),
                Arguments.of("student: {model: s}", List.of("student.model", "only used with student.init: folder")),
                Arguments.of("student: {init: folder, model: s, config: c.json}", List.of("student.config",
                        "only used with student.init: scratch")),
                Arguments.of("student: {layers: [0, 2], num_layers: 3}", List.of("student.layers",
                        "student.num_layers is 3")),
                Arguments.of("training: {devices: cpu}\nteacher: {model: t, precision: fp16}", List.of(
                        "teacher.precision", "training.devices is cpu", "use precision: fp32 on CPU")));
    }

    @ParameterizedTest
    @MethodSource("contradictions")
    void contradictionNamesTheKeys(String yaml, List<String> parts) {
        String base = yaml.contains("teacher:") ? "data: {dataset: data}\n" : ConfigFixtures.MINIMAL;
        assertMentions(fx.error(base + yaml + "\n"), parts.toArray(String[]::new));
    }

    @Test
    void teacherNeededByLossesOrByFromTeacher() {
        // alpha_ce > 0 needs a teacher even when the student comes from a folder.
        assertMentions(fx.error("data: {dataset: d}\nstudent: {init: folder, model: s}\n"), "teacher.model is required",
                "alpha_ce");
        // from_teacher needs one even when no loss does.
        assertMentions(fx.error("data: {dataset: d}\ndistillation: {alpha_ce: 0, alpha_cos: 0}\n"),
                "teacher.model is required by student.init: from_teacher");
        // Neither: MLM-only training of a student folder runs without a teacher.
        TrainConfig c = fx.load("data: {dataset: d}\nstudent: {init: folder, model: s}\n"
                + "distillation: {alpha_ce: 0, alpha_cos: 0}\n");
        assertNull(c.teacher().model());
    }

    @Test
    void fp16OnGpusIsFine() {
        assertEquals(Precision.FP16, fx.load("data: {dataset: d}\nteacher: {model: t, precision: fp16}\n"
                + "training: {devices: 'gpu:0-7'}\n").teacher().precision());
    }

    @Test
    void programmaticConstructionValidatesToo() {
        ConfigError e = assertThrows(ConfigError.class, () -> new LoggingConfig(0));
        assertEquals(List.of("logging.log_interval"), e.keys());
        assertMentions(e.getMessage(), "logging.log_interval: must be >= 1 (got 0)");
    }

    // ---- YAML syntax --------------------------------------------------------------------------

    @Test
    void yamlSyntaxErrorGivesFileAndLine() {
        String m = fx.error("teacher: {model: t}\ndata: {dataset: d\ntraining: {batch_size: 5}\n");
        assertMentions(m, "run.yaml:3:", "YAML syntax");
    }

    @Test
    void duplicateKeyIsASyntaxError() {
        assertMentions(fx.error("teacher: {model: t}\ndata: {dataset: d}\ndata: {dataset: e}\n"), "run.yaml:3:",
                "Duplicate");
    }

    @Test
    void topLevelMustBeAMapping() {
        assertMentions(fx.error("- a\n- b\n"), "run.yaml", "expected a mapping of sections");
    }

    @Test
    void missingFileIsAUserError() {
        assertMentions(assertThrows(io.distiltrain.UserError.class,
                () -> ConfigLoader.load(dir.resolve("nope.yaml"), List.of())).getMessage(), "nope.yaml",
                "no such config file");
    }
}
