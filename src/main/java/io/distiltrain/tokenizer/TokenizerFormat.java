package io.distiltrain.tokenizer;

/** Which files of a model folder define its tokenizer, in the order they are preferred. */
enum TokenizerFormat {
    /** A complete fast-tokenizer file; loaded as it is. */
    TOKENIZER_JSON("tokenizer.json"),
    /** BERT / DistilBERT / mBERT slow tokenizer: one token a line, id = line number. */
    WORDPIECE_VOCAB("vocab.txt"),
    /** RoBERTa slow tokenizer: byte-level BPE vocabulary and merge list. */
    BYTE_LEVEL_BPE("vocab.json + merges.txt");

    private final String files;

    TokenizerFormat(String files) {
        this.files = files;
    }

    /** The file names this format reads, for messages. */
    String files() {
        return files;
    }
}
