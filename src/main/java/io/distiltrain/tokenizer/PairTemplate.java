package io.distiltrain.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a tokenizer's post-processor wraps one text or a pair, read from its tokenizer.json:
 * {@code TemplateProcessing} as written, {@code BertProcessing} ([CLS] A [SEP] B [SEP], the second
 * text of type 1), {@code RobertaProcessing} (&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;, all of type 0),
 * the first of those inside a {@code Sequence}; nothing added without one.
 */
record PairTemplate(List<Piece> single, List<Piece> pair) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A special token's ids, or a place for text A or B, with the token type it gets. */
    record Piece(long[] ids, String sequence, long typeId) {
        static Piece special(long id, long type) {
            return new Piece(new long[] {id}, null, type);
        }

        static Piece text(String which, long type) {
            return new Piece(null, which, type);
        }
    }

    static PairTemplate of(byte[] tokenizerJson) {
        JsonNode root;
        try {
            root = JSON.readTree(tokenizerJson);
        } catch (IOException e) {
            throw new UncheckedIOException("tokenizer.json was read before; it parses", e);
        }
        return of(root.path("post_processor"));
    }

    private static PairTemplate of(JsonNode p) {
        switch (p.path("type").asText("")) {
            case "TemplateProcessing":
                return new PairTemplate(pieces(p.get("single"), p.get("special_tokens")),
                        pieces(p.get("pair"), p.get("special_tokens")));
            case "BertProcessing": {
                long cls = p.get("cls").get(1).asLong();
                long sep = p.get("sep").get(1).asLong();
                return new PairTemplate(List.of(Piece.special(cls, 0), Piece.text("A", 0), Piece.special(sep, 0)),
                        List.of(Piece.special(cls, 0), Piece.text("A", 0), Piece.special(sep, 0), Piece.text("B", 1),
                                Piece.special(sep, 1)));
            }
            case "RobertaProcessing": {
                long cls = p.get("cls").get(1).asLong();
                long sep = p.get("sep").get(1).asLong();
                return new PairTemplate(List.of(Piece.special(cls, 0), Piece.text("A", 0), Piece.special(sep, 0)),
                        List.of(Piece.special(cls, 0), Piece.text("A", 0), Piece.special(sep, 0), Piece.special(sep, 0),
                                Piece.text("B", 0), Piece.special(sep, 0)));
            }
            case "Sequence":
                for (JsonNode inner : p.path("processors")) {
                    PairTemplate t = of(inner);
                    if (t.added(false) > 0 || t.added(true) > 0) {
                        return t;
                    }
                }
                return none();
            default:
                return none();
        }
    }

    private static PairTemplate none() {
        return new PairTemplate(List.of(Piece.text("A", 0)), List.of(Piece.text("A", 0), Piece.text("B", 1)));
    }

    private static List<Piece> pieces(JsonNode items, JsonNode specials) {
        List<Piece> out = new ArrayList<>();
        for (JsonNode item : items) {
            if (item.has("Sequence")) {
                out.add(Piece.text(item.get("Sequence").get("id").asText(), item.get("Sequence").get("type_id").asLong()));
            } else {
                JsonNode s = item.get("SpecialToken");
                JsonNode ids = specials.get(s.get("id").asText()).get("ids");
                long[] v = new long[ids.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = ids.get(i).asLong();
                }
                out.add(new Piece(v, null, s.get("type_id").asLong()));
            }
        }
        return out;
    }

    /** Special tokens the template adds around one text, or a pair. */
    int added(boolean pairs) {
        return (pairs ? pair : single).stream().filter(p -> p.ids() != null).mapToInt(p -> p.ids().length).sum();
    }

    /** Text A (and B, or null) wrapped: the ids and their token types. */
    PairEncoder.Encoded apply(long[] a, long[] b) {
        List<Long> ids = new ArrayList<>();
        List<Long> types = new ArrayList<>();
        for (Piece p : b == null ? single : pair) {
            long[] part = p.ids() != null ? p.ids() : p.sequence().equals("A") ? a : b;
            for (long id : part) {
                ids.add(id);
                types.add(p.typeId());
            }
        }
        return new PairEncoder.Encoded(ids.stream().mapToLong(Long::longValue).toArray(),
                types.stream().mapToLong(Long::longValue).toArray());
    }
}
