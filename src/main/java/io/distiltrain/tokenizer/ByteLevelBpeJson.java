package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * The tokenizer.json that transformers' RoBERTa converter would write for a vocab.json +
 * merges.txt folder. DJL's own vocab+merges loader builds a bare BPE without the byte-level
 * pre-tokenizer, decoder and post-processor, which would mangle spaces and non-ASCII text.
 */
final class ByteLevelBpeJson {
    private ByteLevelBpeJson() {}

    /**
     * @param addPrefixSpace treat the text as if it began with a space (RoBERTa default: false)
     * @param trimOffsets keep offsets off the leading space of each word (RoBERTa default: true)
     */
    static ObjectNode build(Vocabulary vocab, List<String> merges, SpecialTokens specials,
            List<AddedToken> addedTokens, boolean addPrefixSpace, boolean trimOffsets) {
        ObjectNode root = GeneratedTokenizerJson.envelope(addedTokens);
        // Byte-level BPE sees raw bytes; there is nothing to normalize.
        root.putNull("normalizer");

        ObjectNode preTokenizer = byteLevel(root.putObject("pre_tokenizer"), addPrefixSpace, trimOffsets);
        preTokenizer.put("use_regex", true);

        ObjectNode processor = root.putObject("post_processor");
        processor.put("type", "RobertaProcessing");
        processor.putArray("sep").add(specials.sep()).add(specials.sepId());
        processor.putArray("cls").add(specials.cls()).add(specials.clsId());
        processor.put("trim_offsets", trimOffsets);
        processor.put("add_prefix_space", addPrefixSpace);

        // The decoder's flags do not affect decoding; these are the values transformers writes.
        byteLevel(root.putObject("decoder"), true, true).put("use_regex", true);

        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.set("vocab", GeneratedTokenizerJson.vocabObject(vocab));
        ArrayNode mergeList = model.putArray("merges");
        merges.forEach(mergeList::add);
        return root;
    }

    private static ObjectNode byteLevel(ObjectNode node, boolean addPrefixSpace, boolean trimOffsets) {
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", addPrefixSpace);
        node.put("trim_offsets", trimOffsets);
        return node;
    }

    /**
     * The merge rules of merges.txt, one "left right" pair a line in priority order. The
     * "#version" header and blank lines are not rules.
     */
    static List<String> readMerges(Path file) {
        return UserFiles.readLines(file).stream()
                .filter(line -> !line.startsWith("#version") && !line.isBlank())
                .toList();
    }
}
