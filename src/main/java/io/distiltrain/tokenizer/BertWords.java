package io.distiltrain.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The words a BERT tokenizer hands to WordPiece: the tokenizers library's BertNormalizer
 * (clean_text, handle_chinese_chars, strip_accents following lowercase, lowercase) followed by
 * its BertPreTokenizer (split on whitespace, every punctuation character a word of its own).
 *
 * <p>Written in Java rather than asked of the native tokenizer because a vocabulary is built
 * before any tokenizer exists. The character classes follow the Rust code: Java's own
 * {@code isWhitespace} and punctuation tests differ from Unicode's (no-break space, ASCII
 * symbols such as {@code $} and {@code +}), and a vocabulary built on other words than the
 * tokenizer later produces would leave pieces unreachable.
 */
final class BertWords {
    private BertWords() {}

    /** The words of {@code text}, in order. */
    static List<String> of(String text, boolean lowercase) {
        List<String> words = new ArrayList<>();
        forEach(text, lowercase, words::add);
        return words;
    }

    /** Passes each word of {@code text} to {@code sink}, without collecting them. */
    static void forEach(String text, boolean lowercase, Consumer<String> sink) {
        String normalized = normalize(text, lowercase);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (isWhitespace(cp)) {
                flush(word, sink);
            } else if (isPunctuation(cp)) {
                flush(word, sink);
                sink.accept(new String(Character.toChars(cp)));
            } else {
                word.appendCodePoint(cp);
            }
        }
        flush(word, sink);
    }

    private static void flush(StringBuilder word, Consumer<String> sink) {
        if (!word.isEmpty()) {
            sink.accept(word.toString());
            word.setLength(0);
        }
    }

    /** BertNormalizer with clean_text and handle_chinese_chars on, strip_accents = lowercase. */
    static String normalize(String text, boolean lowercase) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                continue;
            }
            if (isWhitespace(cp)) {
                out.append(' ');
            } else if (isChinese(cp)) {
                // CJK ideographs carry no spaces between words: each becomes a word of its own.
                out.append(' ').appendCodePoint(cp).append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        }
        if (!lowercase) {
            return out.toString();
        }
        return lowercase(stripAccents(out.toString()));
    }

    private static String stripAccents(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints()
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    /**
     * Character by character, as the Rust code does: String.toLowerCase would apply the
     * context-dependent final-sigma rule, which the tokenizer does not.
     */
    private static String lowercase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                out.append((char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
            } else {
                out.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
            }
        });
        return out.toString();
    }

    /** Unicode White_Space (Rust's char::is_whitespace), which includes the no-break spaces. */
    static boolean isWhitespace(int cp) {
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || Character.isSpaceChar(cp);
    }

    /** Categories Cc, Cf, Cn, Co, Cs, except tab and line breaks, which count as whitespace. */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }

    /** Every ASCII punctuation character ({@code $}, {@code +}, {@code `} too) and Unicode P*. */
    static boolean isPunctuation(int cp) {
        if (cp < 0x80) {
            return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96)
                    || (cp >= 123 && cp <= 126);
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION,
                    Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK Unified Ideograph blocks the tokenizers library treats as Chinese characters. */
    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
