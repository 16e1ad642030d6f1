package io.distiltrain.config;

import static io.distiltrain.config.ConfigFixtures.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** toYaml writes every key; loading it gives the same config; diffs ignore what cannot matter. */
class ConfigYamlTest {
    @TempDir
    Path dir;

    ConfigFixtures fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixtures(dir);
    }

    /** Every key away from its default, awkward strings included. */
    static final String EVERYTHING_CHANGED = """
            run: {name: "2024", output_dir: "out dir/with: colon #hash", seed: 7}
            teacher: {model: "../teachers/bert base", precision: fp16}
            student: {init: from_teacher, layers: [0, 3, 6, 9], num_layers: 4, freeze_pos_embs: false,
                      freeze_token_type_embds: true}
            data: {dataset: "data/wiki: 2", max_length: 128, group_by_size: false, held_out: "held-out",
                   language_smoothing: 0.3, languages: "langs.txt"}
            distillation: {temperature: 1.5, alpha_ce: 0.5, alpha_mlm: 0.25, alpha_clm: 0.0, alpha_mse: 0.125,
                           alpha_cos: 2.0, restrict_ce_to_mask: true, mlm: true, mlm_mask_prop: 0.2,
                           word_mask: 0.6, word_keep: 0.15, word_rand: 0.25, mlm_smoothing: 0.5}
            optimizer: {learning_rate: 1.0e-10, adam_epsilon: 1.0e-8, betas: [0.8, 0.999], weight_decay: 0.01,
                        warmup_prop: 0.1, max_grad_norm: null}
            training: {batch_size: 32, gradient_accumulation_steps: 2, n_epoch: 1, max_steps: 1000,
                       devices: "gpu:0,2-3", max_nan_steps: 3, precision: fp16, initial_loss_scale: 1024,
                       loss_scale_growth_interval: 500}
            checkpoints: {interval: 100, keep_last: 1}
            logging: {log_interval: 7}
            """;

    @Test
    void roundTripOfDefaults() {
        TrainConfig c = fx.load(ConfigFixtures.MINIMAL);
        assertEquals(c, fx.load(c.toYaml()));
    }

    @Test
    void roundTripOfEveryKeyChanged() {
        TrainConfig c = fx.load(EVERYTHING_CHANGED);
        assertEquals(c, fx.load(c.toYaml()));
        // ... from another folder too: written paths are absolute.
        TrainConfig elsewhere = ConfigLoader.load(fx.write("elsewhere/deeper/c.yaml", c.toYaml()), List.of());
        assertEquals(c, elsewhere);
        assertEquals(c, ConfigLoader.fromTree(c.toTree(), "tree"));
    }

    @Test
    void roundTripOfOtherInits() {
        for (String student : List.of("{init: folder, model: s}", "{init: scratch, config: s/config.json}")) {
            TrainConfig c = fx.load("data: {dataset: d}\nteacher: {model: t}\nstudent: " + student + "\n");
            assertEquals(c, fx.load(c.toYaml()));
        }
    }

    @Test
    void toYamlWritesEveryKeyInSchemaOrder() throws Exception {
        JsonNode tree = Yaml.READER.readTree(fx.load(ConfigFixtures.MINIMAL).toYaml());
        List<String> written = new ArrayList<>();
        for (Iterator<String> s = tree.fieldNames(); s.hasNext();) {
            String section = s.next();
            tree.get(section).fieldNames().forEachRemaining(k -> written.add(section + "." + k));
        }
        assertEquals(Schema.allKeys(), written);
        String yaml = fx.load(ConfigFixtures.MINIMAL).toYaml();
        assertMentions(yaml, "max_steps: null", "devices: auto", "seed: 56", "init: from_teacher");
        assertTrue(!yaml.startsWith("---"), yaml);
    }

    // ---- resultChangingDifferences ------------------------------------------------------------

    @Test
    void identicalConfigsDoNotDiffer() {
        assertEquals(List.of(), TrainConfig.resultChangingDifferences(fx.load(EVERYTHING_CHANGED),
                fx.load(EVERYTHING_CHANGED)));
    }

    @Test
    void bookkeepingKeysDoNotCount() {
        TrainConfig a = fx.load(ConfigFixtures.MINIMAL);
        TrainConfig b = fx.load(ConfigFixtures.MINIMAL, "run.name=other", "run.output_dir=/elsewhere",
                "checkpoints.interval=1", "checkpoints.keep_last=9", "logging.log_interval=1",
                "training.max_nan_steps=100");
        assertEquals(List.of(), TrainConfig.resultChangingDifferences(a, b));
    }

    @Test
    void everyOtherKeyCounts() {
        TrainConfig a = fx.load(ConfigFixtures.MINIMAL);
        TrainConfig b = fx.load(EVERYTHING_CHANGED);
        List<String> expected = new ArrayList<>(Schema.allKeys());
        expected.removeAll(TrainConfig.RESULT_NEUTRAL_KEYS);
        // Defaults that EVERYTHING_CHANGED keeps: alpha_clm 0, mlm true, init from_teacher; the
        // student's model and config stay null.
        expected.removeAll(List.of("distillation.alpha_clm", "distillation.mlm", "student.init", "student.model",
                "student.config"));
        assertEquals(expected, TrainConfig.resultChangingDifferences(a, b));
    }

    @Test
    void devicesCountByKindAndNumber() {
        TrainConfig base = fx.load(ConfigFixtures.MINIMAL, "training.devices=gpu:0-3");
        assertEquals(List.of(), diffDevices(base, "gpu:4-7"));
        assertEquals(List.of(), diffDevices(base, "gpu:0,2,4,6"));
        assertEquals(List.of("training.devices"), diffDevices(base, "gpu:0-7"));
        assertEquals(List.of("training.devices"), diffDevices(base, "auto"));
        assertEquals(List.of("training.devices"), diffDevices(base, "cpu"));
        TrainConfig cpu = fx.load(ConfigFixtures.MINIMAL, "training.devices=cpu");
        assertEquals(List.of("training.devices"), diffDevices(cpu, "gpu:0"));
        assertEquals(List.of(), diffDevices(fx.load(ConfigFixtures.MINIMAL), "auto"));
    }

    private List<String> diffDevices(TrainConfig a, String devices) {
        return TrainConfig.resultChangingDifferences(a, fx.load(ConfigFixtures.MINIMAL, "training.devices=" + devices));
    }

    @Test
    void singleChangesAreReportedByPath() {
        TrainConfig a = fx.load(ConfigFixtures.MINIMAL);
        assertEquals(List.of("optimizer.betas"), TrainConfig.resultChangingDifferences(a,
                fx.load(ConfigFixtures.MINIMAL, "optimizer.betas=[0.9,0.999]")));
        assertEquals(List.of("training.batch_size", "training.gradient_accumulation_steps"),
                TrainConfig.resultChangingDifferences(a, fx.load(ConfigFixtures.MINIMAL, "training.batch_size=10",
                        "training.gradient_accumulation_steps=25")));
        assertEquals(List.of("run.seed"), TrainConfig.resultChangingDifferences(a,
                fx.load(ConfigFixtures.MINIMAL, "run.seed=1")));
    }
}
