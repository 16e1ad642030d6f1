package io.distiltrain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distiltrain.reference.HfGolden;
import io.distiltrain.safetensors.SafetensorsFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each family's layout: the names, their order and shapes are the recorded ones (exports are
 * written in this order, so it must never move), and the names are the ones transformers'
 * save_pretrained writes.
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
