package io.distiltrain.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The card names Hub ids only where the run really read from the Hub. */
class HubIdsTest {
    @Test
    void aConfigsNameOrPathIsAModelIdOnlyWhenItHasTheShapeOfOne() {
        assertEquals("google-bert/bert-base-uncased", HubIds.model("google-bert/bert-base-uncased"));
        assertNull(HubIds.model("/home/me/models/bert"), "a local path says nothing elsewhere");
        assertNull(HubIds.model("./bert"));
        assertNull(HubIds.model("a/b/c"));
        assertNull(HubIds.model(null));
    }

    @Test
    void datasetIdsComeFromHubCorpusPathsAndFromSourcesInTheHubCache() {
        List<String> corpus = List.of("hf://datasets/wikimedia/wikipedia/20231101.fr/*.parquet", "/data/local.txt",
                "hf://datasets/wikimedia/wikipedia@main/20231101.de/*.parquet");
        List<String> sources = List.of(
                "/root/.cache/huggingface/hub/datasets--Skylion007--openwebtext/snapshots/0123abcd/train-00.parquet",
                "/root/.cache/huggingface/hub/datasets--wikimedia--wikipedia/snapshots/0123abcd/20231101.fr/a.parquet",
                "/data/books.txt");
        assertEquals(List.of("wikimedia/wikipedia", "Skylion007/openwebtext"), HubIds.datasets(corpus, sources));
        assertEquals(List.of(), HubIds.datasets(List.of("/data/local.txt"), List.of("/data/models--a--b/snapshots/x")));
    }
}
