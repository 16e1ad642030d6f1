package io.distiltrain.data;

/**
 * How many bytes one token id takes in a shard.
 *
 * <p>The narrowest width that holds every id of the vocabulary. The reference stores uint16
 * whenever the tokenizer's base vocabulary is below 65,536 and so silently wrapped ids of added
 * tokens and of larger vocabularies (transformers #2825: mBERT has 119,547 ids); here the choice
 * is made from the full id range, added tokens included, and every write checks the id fits.
 */
public enum IdWidth {
    UINT16("uint16", 2, 0xFFFFL),
    INT32("int32", 4, Integer.MAX_VALUE);

    private final String jsonName;
    private final int bytes;
    private final long maxId;

    IdWidth(String jsonName, int bytes, long maxId) {
        this.jsonName = jsonName;
        this.bytes = bytes;
        this.maxId = maxId;
    }

    /** uint16 when every id 0..vocabSize-1 fits in 16 unsigned bits, else int32. */
    public static IdWidth forVocabSize(int vocabSize) {
        return vocabSize <= 65_536 ? UINT16 : INT32;
    }

    /** The width a manifest or shard header names, or null when the name is unknown. */
    static IdWidth fromJsonName(String name) {
        for (IdWidth w : values()) {
            if (w.jsonName.equals(name)) {
                return w;
            }
        }
        return null;
    }

    static IdWidth fromBytes(int bytes) {
        for (IdWidth w : values()) {
            if (w.bytes == bytes) {
                return w;
            }
        }
        return null;
    }

    public String jsonName() {
        return jsonName;
    }

    public int bytes() {
        return bytes;
    }

    public long maxId() {
        return maxId;
    }
}
