package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.reference.HfGolden;
import io.distiltrain.safetensors.SafetensorsFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each family's layout: the names, their order and shapes are the recorded ones (exports are
 * written in this order, so it must never move), the names are the ones transformers'
 * save_pretrained writes, and the tables a config may freeze are named exactly.
 */
class ParameterLayoutTest {

    static ModelConfig goldenConfig(String family) {
        return ModelConfig.read(HfGolden.model(family));
    }

    /** The layout as RecordedLayouts spells it: one "name shape" line each, then tied and frozen. */
    static String describe(ParameterLayout layout) {
        List<String> lines = new ArrayList<>();
        layout.shapes().forEach((name, shape) -> lines.add(name + " " + shape));
        lines.add("TIED " + new TreeMap<>(layout.tiedAliases()));
        lines.add("FROZEN " + new TreeSet<>(layout.frozen()));
        return String.join("\n", lines) + "\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "distilbert"})
    void namesOrderAndShapesAreTheRecordedOnes(String family) {
        String recorded = switch (family) {
            case "bert" -> RecordedLayouts.BERT;
            case "roberta" -> RecordedLayouts.ROBERTA;
            default -> RecordedLayouts.DISTILBERT;
        };
        assertEquals(recorded, describe(MaskedLmModel.layoutOf(goldenConfig(family))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "distilbert"})
    void namesAreWhatTransformersSaves(String family) {
        ParameterLayout layout = MaskedLmModel.layoutOf(goldenConfig(family));
        try (SafetensorsFile saved = SafetensorsFile.open(HfGolden.model(family).resolve("model.safetensors"))) {
            assertEquals(new TreeSet<>(saved.names()), new TreeSet<>(layout.shapes().keySet()));
        }
    }

    /** What student.freeze_pos_embs and freeze_token_type_embds freeze, asked of the layout by exact name. */
    @ParameterizedTest
    @CsvSource({
        "bert, bert.embeddings.word_embeddings.weight, bert.embeddings.position_embeddings.weight,"
            + " bert.embeddings.token_type_embeddings.weight",
        "roberta, roberta.embeddings.word_embeddings.weight, roberta.embeddings.position_embeddings.weight,"
            + " roberta.embeddings.token_type_embeddings.weight",
        "distilbert, distilbert.embeddings.word_embeddings.weight, distilbert.embeddings.position_embeddings.weight,"})
    void embeddingTablesAreNamedExactlyAndAreParametersOfTheLayout(String family, String word, String position,
                                                                   String tokenType) {
        ParameterLayout layout = MaskedLmModel.layoutOf(goldenConfig(family));
        assertEquals(word, layout.wordEmbeddings());
        assertEquals(position, layout.positionEmbeddings());
        assertEquals(Optional.ofNullable(tokenType), layout.tokenTypeEmbeddings());
        assertTrue(layout.shapes().containsKey(layout.wordEmbeddings()));
        assertTrue(layout.shapes().containsKey(layout.positionEmbeddings()));
        layout.tokenTypeEmbeddings().ifPresent(name -> assertTrue(layout.shapes().containsKey(name), name));
        assertTrue(layout.shapes().keySet().containsAll(layout.frozen()));
        assertTrue(layout.shapes().keySet().containsAll(layout.tiedAliases().values()));
    }

    @Test
    void aLayoutRefusesRoleNamesOutsideItsParameters() {
        ParameterLayout.Builder b = new ParameterLayout.Builder().tensor("w", 2, 3).tensor("p", 4, 3);
        assertThrows(IllegalArgumentException.class,
                () -> b.build(Set.of(), "w", "p", Optional.of("bert.embeddings.token_type_embeddings.weight")));
        assertThrows(IllegalArgumentException.class, () -> b.build(Set.of("x"), "w", "p", Optional.empty()));
        assertThrows(IllegalStateException.class, () -> b.tensor("w", 2, 3));
    }

    @Test
    void sinusoidalDistilBertFreezesItsPositionTableAndNothingElse() {
        ObjectNode json = goldenConfig("distilbert").toJson();
        json.put("sinusoidal_pos_embds", true);
        ParameterLayout layout = MaskedLmModel.layoutOf(ModelConfig.fromJson(json, "test"));
        assertEquals(Set.of("distilbert.embeddings.position_embeddings.weight"), layout.frozen());
        assertEquals(describe(MaskedLmModel.layoutOf(goldenConfig("distilbert"))).replace("FROZEN []",
                "FROZEN [distilbert.embeddings.position_embeddings.weight]"), describe(layout));
    }
}
