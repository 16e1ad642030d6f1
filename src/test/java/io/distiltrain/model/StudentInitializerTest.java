package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.UserError;
import io.distiltrain.cli.Main;
import io.distiltrain.reference.RandomModels;
import io.distiltrain.reference.ReferenceForward.RefTensor;
import io.distiltrain.safetensors.SafetensorsFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * init-student through the command line: every student tensor equals the named teacher tensor, and
 * a layer list or a teacher it cannot use ends in one line and exit code 2.
 */
class StudentInitializerTest {
    @TempDir
    Path tmp;

    @Test
    void bertTeacherGivesDistilBertWithTheRecipesMapping() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        config.put("num_hidden_layers", 4);
        Map<String, RefTensor> teacher = RandomModels.randomWeights(config, 11);
        Path teacherDir = TestFolders.write(tmp.resolve("teacher"), config, teacher);
        TestFolders.writeVocab(teacherDir, config.get("vocab_size").asInt());
        Path out = tmp.resolve("student");
        assertEquals(0, Main.run("init-student", "--teacher", teacherDir.toString(), "--output", out.toString(),
                "--layers", "1,3"));

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("distilbert.embeddings.word_embeddings.weight", "bert.embeddings.word_embeddings.weight");
        expected.put("distilbert.embeddings.position_embeddings.weight", "bert.embeddings.position_embeddings.weight");
        expected.put("distilbert.embeddings.LayerNorm.weight", "bert.embeddings.LayerNorm.weight");
        expected.put("distilbert.embeddings.LayerNorm.bias", "bert.embeddings.LayerNorm.bias");
        String[][] modules = {
            {"attention.q_lin", "attention.self.query"}, {"attention.k_lin", "attention.self.key"},
            {"attention.v_lin", "attention.self.value"}, {"attention.out_lin", "attention.output.dense"},
            {"sa_layer_norm", "attention.output.LayerNorm"}, {"ffn.lin1", "intermediate.dense"},
            {"ffn.lin2", "output.dense"}, {"output_layer_norm", "output.LayerNorm"}};
        int[] picked = {1, 3};
        for (int i = 0; i < picked.length; i++) {
            for (String[] m : modules) {
                for (String kind : new String[] {".weight", ".bias"}) {
                    expected.put("distilbert.transformer.layer." + i + "." + m[0] + kind,
                            "bert.encoder.layer." + picked[i] + "." + m[1] + kind);
                }
            }
        }
        for (String kind : new String[] {".weight", ".bias"}) {
            expected.put("vocab_transform" + kind, "cls.predictions.transform.dense" + kind);
            expected.put("vocab_layer_norm" + kind, "cls.predictions.transform.LayerNorm" + kind);
        }
        expected.put("vocab_projector.bias", "cls.predictions.bias");

        try (SafetensorsFile student = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertEquals(expected.size(), student.names().size());
            for (Map.Entry<String, String> e : expected.entrySet()) {
                assertArrayEquals(teacher.get(e.getValue()).data(), student.readFloats(e.getKey()), e.getKey());
            }
        }
        ObjectNode studentConfig = (ObjectNode) new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("distilbert", studentConfig.get("model_type").asText());
        assertEquals(2, studentConfig.get("n_layers").asInt());
        assertEquals(config.get("hidden_size").asInt(), studentConfig.get("dim").asInt());
        assertEquals(config.get("intermediate_size").asInt(), studentConfig.get("hidden_dim").asInt());
        assertEquals("DistilBertForMaskedLM", studentConfig.get("architectures").get(0).asText());
        assertEquals(true, out.resolve("vocab.txt").toFile().isFile() || out.resolve("tokenizer.json").toFile().isFile());
    }

    @Test
    void robertaTeacherKeepsNamesAndRenumbersLayers() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("roberta");
        Map<String, RefTensor> teacher = RandomModels.randomWeights(config, 12);
        Path teacherDir = TestFolders.write(tmp.resolve("rteacher"), config, teacher);
        TestFolders.writeRobertaVocab(teacherDir, config.get("vocab_size").asInt());
        Path out = tmp.resolve("rstudent");
        assertEquals(0, Main.run("init-student", "--teacher", teacherDir.toString(), "--output", out.toString(),
                "--student-layers", "2"));
        int last = config.get("num_hidden_layers").asInt() - 1;
        try (SafetensorsFile student = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            for (String name : teacher.keySet()) {
                String prefix = "roberta.encoder.layer.";
                if (!name.startsWith(prefix)) {
                    assertArrayEquals(teacher.get(name).data(), student.readFloats(name), name);
                } else if (name.startsWith(prefix + last + ".")) {
                    String renamed = prefix + "1." + name.substring((prefix + last + ".").length());
                    assertArrayEquals(teacher.get(name).data(), student.readFloats(renamed), renamed);
                } else if (name.startsWith(prefix + "0.")) {
                    assertArrayEquals(teacher.get(name).data(), student.readFloats(name), name);
                }
            }
            assertEquals(teacher.size() - (last + 1 - 2) * 16, student.names().size());
        }
        ObjectNode studentConfig = (ObjectNode) new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("roberta", studentConfig.get("model_type").asText());
        assertEquals(2, studentConfig.get("num_hidden_layers").asInt());
        assertEquals(config.get("layer_norm_eps").asDouble(), studentConfig.get("layer_norm_eps").asDouble());
    }

    /** A tiny 4-layer BERT teacher with its vocabulary. */
    private Path bertTeacher() throws Exception {
        ObjectNode config = (ObjectNode) RandomModels.tinyConfig("bert");
        config.put("num_hidden_layers", 4);
        Path dir = TestFolders.write(tmp.resolve("teacher"), config, RandomModels.randomWeights(config, 13));
        TestFolders.writeVocab(dir, config.get("vocab_size").asInt());
        return dir;
    }

    /** Exit code and standard error of one in-process run. */
    private record Run(int exitCode, String err) {
        static synchronized Run of(String... args) {
            PrintStream old = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                int code = Main.run(args);
                System.err.flush();
                return new Run(code, err.toString(StandardCharsets.UTF_8));
            } finally {
                System.setErr(old);
            }
        }

        void assertOneUserErrorLine(String... fragments) {
            assertEquals(2, exitCode, err);
            assertEquals(1, err.strip().split("\n").length, "one line expected, got:\n" + err);
            assertTrue(err.startsWith("error: "), err);
            for (String f : fragments) {
                assertTrue(err.contains(f), "'" + f + "' missing from: " + err);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "3,1; layer 1 comes after 3",
        "1,1; layer 1 is repeated",
        "0,2,2,3; layer 2 is repeated",
        "0,4; teacher layer 4 does not exist",
        "-1,2; teacher layer -1 does not exist"})
    void layersThatDoNotClimbThroughTheTeacherAreRefused(String layers, String problem) throws Exception {
        Path teacher = bertTeacher();
        Path out = tmp.resolve("student");
        Run run = Run.of("init-student", "--teacher", teacher.toString(), "--output", out.toString(),
                "--layers", layers);
        run.assertOneUserErrorLine("--layers " + layers + ": " + problem,
                "strictly increasing teacher layer indices within 0..3", teacher + " has 4 layers");
        assertFalse(Files.exists(out), "no student folder is written");
    }

    @Test
    void theMessageSuggestsAnEvenSpreadOfAsManyLayers() throws Exception {
        Path teacher = bertTeacher();
        Run run = Run.of("init-student", "--teacher", teacher.toString(), "--output", tmp.resolve("s").toString(),
                "--layers", "3,1");
        run.assertOneUserErrorLine("e.g. 0,3");
    }

    @Test
    void aConfigsLayerListIsNamedAsTheConfigSpellsIt() {
        Path teacher = tmp.resolve("t");
        UserError e = assertThrows(UserError.class,
                () -> StudentInitializer.checkLayers("student.layers", List.of(0, 20), 12, teacher));
        assertEquals("student.layers [0, 20]: teacher layer 20 does not exist; give strictly increasing teacher layer"
                + " indices within 0..11 (" + teacher + " has 12 layers), e.g. [0, 11]", e.getMessage());
    }

    @Test
    void aTeacherWithOnlyPytorchWeightsIsReportedAsSuchWhateverTheLayerCount() throws Exception {
        Path teacher = bertTeacher();
        Files.delete(teacher.resolve("model.safetensors"));
        Files.writeString(teacher.resolve("pytorch_model.bin"), "not parsed");
        // The default --student-layers 6 exceeds the teacher's 4: the weights must be reported first.
        for (String[] layers : new String[][] {{}, {"--layers", "3,1"}, {"--student-layers", "2"}}) {
            String[] base = {"init-student", "--teacher", teacher.toString(), "--output", tmp.resolve("s").toString()};
            String[] args = Stream.concat(Arrays.stream(base), Arrays.stream(layers)).toArray(String[]::new);
            Run run = Run.of(args);
            run.assertOneUserErrorLine(teacher + " has only pytorch_model.bin", "safe_serialization=True");
            assertFalse(run.err().contains("layers"), run.err());
        }
    }
}
