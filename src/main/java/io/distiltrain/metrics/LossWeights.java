package io.distiltrain.metrics;

import java.awt.FontMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss-weights note of a metrics log ({@code {"loss_weights":{"loss_ce":5.0,...}}}, see
 * {@link MetricsLog#writeLossWeights}): what {@code loss} is the weighted sum of.
 */
public final class LossWeights {
    private LossWeights() {
    }

    /**
     * The weights of the last note among {@code records} (as {@link MetricsLog#read} returns
     * them), term key to weight in the note's order; empty when there is none (older logs).
     */
    public static Map<String, Double> in(List<Map<String, Object>> records) {
        Map<String, Double> weights = Map.of();
        for (Map<String, Object> r : records) {
            if (isNote(r)) {
                weights = of(r);
            }
        }
        return weights;
    }

    /**
     * {@code loss} as a formula of its terms, weights as {@link Axis#format} writes them and
     * zero-weight terms left out: {@code "loss = 5·ce + 2·mlm + 1·cos"}; without weights (a log
     * written before they were noted) {@code "loss = weighted sum of its terms"}.
     */
    public static String formula(Map<String, Double> weights) {
        if (weights.values().stream().allMatch(w -> w == 0)) {
            return MetricsLog.LOSS_KEYS.get(0) + " = weighted sum of its terms"; // a log from before the notes
        }
        StringBuilder s = new StringBuilder(MetricsLog.LOSS_KEYS.get(0)).append(" =");
        String sep = " ";
        for (String key : MetricsLog.LOSS_KEYS.subList(1, MetricsLog.LOSS_KEYS.size())) {
            Double w = weights.get(key);
            if (w != null && w != 0) {
                s.append(sep).append(Axis.format(w, 4)).append('\u00b7').append(key.substring("loss_".length()));
                sep = " + ";
            }
        }
        return s.toString();
    }

    /**
     * {@code "loss = 5·ce + 2·mlm"} as the legend shows it under the {@code loss} entry: without
     * the name, which the entry already shows, and broken before a "+" into lines of at most
     * {@code width} pixels (a term wider than that gets a line of its own).
     */
    static List<String> formulaLines(String formula, FontMetrics fm, int width) {
        String rest = formula.substring(formula.indexOf('=')); // "= 5·ce + 2·mlm"
        List<String> lines = new ArrayList<>();
        String line = null;
        for (String part : rest.split(" (?=\\+)")) {
            if (line == null) {
                line = part;
            } else if (fm.stringWidth(line + " " + part) <= width) {
                line = line + " " + part;
            } else {
                lines.add(line);
                line = part;
            }
        }
        lines.add(line);
        return lines;
    }

    static boolean isNote(Map<String, Object> record) {
        return record.size() == 1 && record.get(MetricsLog.LOSS_WEIGHTS) instanceof Map<?, ?>;
    }

    static Map<String, Double> of(Map<String, Object> note) {
        Map<String, Double> weights = new LinkedHashMap<>();
        ((Map<?, ?>) note.get(MetricsLog.LOSS_WEIGHTS)).forEach((key, value) -> {
            if (value instanceof Number n) {
                weights.put(String.valueOf(key), n.doubleValue());
            }
        });
        return weights;
    }

    /**
     * {@code weights} as doubles in {@link MetricsLog#LOSS_KEYS} order (so the note does not depend
     * on the caller's map), after checking that each key is a loss term and each weight finite.
     */
    static Map<String, Double> checked(Map<String, ? extends Number> weights) {
        List<String> terms = MetricsLog.LOSS_KEYS.subList(1, MetricsLog.LOSS_KEYS.size());
        weights.forEach((key, value) -> {
            if (!terms.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' is not a loss term " + terms);
            }
            if (!Double.isFinite(value.doubleValue())) {
                throw new IllegalArgumentException("weight of '" + key + "' is " + value);
            }
        });
        Map<String, Double> w = new LinkedHashMap<>();
        for (String term : terms) {
            if (weights.containsKey(term)) {
                w.put(term, weights.get(term).doubleValue());
            }
        }
        return w;
    }
}
