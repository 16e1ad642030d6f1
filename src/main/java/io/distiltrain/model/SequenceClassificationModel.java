package io.distiltrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * BertForSequenceClassification, DistilBertForSequenceClassification and
 * RobertaForSequenceClassification, as Hugging Face's modeling files compute them: the family's
 * encoder (shared with the masked-LM models) and a head on the first token's hidden state.
 *
 * <pre>
 * BERT:       classifier(Dropout(tanh(pooler.dense(h[:,0]))))      dropout: classifier_dropout or hidden_dropout_prob
 * DistilBERT: classifier(Dropout(ReLU(pre_classifier(h[:,0]))))    dropout: seq_classif_dropout
 * RoBERTa:    out_proj(Dropout(tanh(dense(Dropout(h[:,0])))))      dropout: classifier_dropout or hidden_dropout_prob
 * loss:       mean cross-entropy over labels; regression: mean squared error of logits.squeeze()
 * </pre>
 *
 * Like {@link MaskedLmModel}, the model owns no NDManager: its parameters belong to their
 * creator, and a forward pass's intermediates to the manager of the input ids.
 */
public final class SequenceClassificationModel {

    /**
     * The head's state-dict names, each written once: both heads are a Linear [H,H] and a Linear
     * [num_labels,H]; only what sits between them differs by family.
     *
     * @param dense the [H,H] Linear on the first token: BERT's pooler (part of the base model,
     *     {@code add_pooling_layer=True}), DistilBERT's pre_classifier, RoBERTa's classifier.dense
     * @param output the [num_labels,H] Linear that gives the logits
     */
    record HeadNames(String dense, String output) {
        static final HeadNames BERT = new HeadNames("bert.pooler.dense", "classifier");
        static final HeadNames DISTILBERT = new HeadNames("pre_classifier", "classifier");
        static final HeadNames ROBERTA = new HeadNames("classifier.dense", "classifier.out_proj");

        static HeadNames of(ModelFamily family) {
            return switch (family) {
                case BERT -> BERT;
                case DISTILBERT -> DISTILBERT;
                case ROBERTA -> ROBERTA;
            };
        }
    }

    private final ModelConfig config;
    private final ClassifierHead head;
    private final ParameterLayout layout;
    private final Map<String, NDArray> parameters;

    private SequenceClassificationModel(ModelConfig config, ClassifierHead head, Map<String, NDArray> parameters) {
        this.config = config;
        this.head = head;
        this.layout = layout(config, head);
        this.parameters = layout.inOrder(parameters);
    }

    /**
     * The Hub names and shapes of encoder + head, in the order transformers registers them (the
     * order of saved files): BERT: bert.* with bert.pooler.dense, classifier; DistilBERT:
     * distilbert.*, pre_classifier, classifier; RoBERTa: roberta.* (no pooler), classifier.dense,
     * classifier.out_proj. No MLM head.
     */
    public static ParameterLayout layout(ModelConfig config, ClassifierHead head) {
        HeadNames n = HeadNames.of(config.family());
        long h = config.hiddenSize();
        return switch (config.family()) {
            case BERT, ROBERTA -> {
                BertModel.Names e = bertNames(config.family());
                yield BertModel.encoderLayout(config, e)
                        .linear(n.dense(), h, h)
                        .linear(n.output(), head.numLabels(), h)
                        .build(Set.of(), e.wordEmbeddings(), e.positionEmbeddings(), Optional.of(e.tokenTypeEmbeddings()));
            }
            case DISTILBERT -> {
                DistilBertModel.Names e = DistilBertModel.Names.DISTILBERT;
                yield DistilBertModel.encoderLayout(config)
                        .linear(n.dense(), h, h)
                        .linear(n.output(), head.numLabels(), h)
                        .build(DistilBertModel.frozen(config), e.wordEmbeddings(), e.positionEmbeddings(), Optional.empty());
            }
        };
    }

    /** The encoder's names of BERT or RoBERTa (the MLM head's names in them go unused). */
    private static BertModel.Names bertNames(ModelFamily family) {
        return family == ModelFamily.ROBERTA ? BertModel.Names.ROBERTA : BertModel.Names.BERT;
    }

    /**
     * Encoder weights from a pretrained folder (a masked-LM checkpoint: its MLM head is dropped; a
     * BERT pooler is loaded when the folder has one) and a new head drawn as transformers'
     * _init_weights does: weights N(0, initializer_range), biases 0, from {@code seed}. A folder
     * that is already a *ForSequenceClassification checkpoint with the same head loads as it is.
     * Tensors the classifier does not use (other than the MLM head) are reported on stderr.
     */
    public static Map<String, NDArray> initialParameters(Path folder, ModelConfig config, ClassifierHead head,
                                                         long seed, NDManager manager) {
        return ClassifierFolder.initialParameters(folder, config, head, seed, manager, System.err::println);
    }

    /** The model over {@code parameters}, checked against {@link #layout}. */
    public static SequenceClassificationModel of(ModelConfig config, ClassifierHead head,
                                                 Map<String, NDArray> parameters) {
        return new SequenceClassificationModel(config, head, parameters);
    }

    /** Writes a folder that AutoModelForSequenceClassification.from_pretrained loads strictly. */
    public static void save(ModelConfig config, ClassifierHead head, Map<String, NDArray> parameters, Path dir) {
        ClassifierFolder.save(config, head, layout(config, head).inOrder(parameters), dir);
    }

    /** A folder written by {@link #save} or by transformers' save_pretrained. */
    public static Loaded load(Path dir, NDManager manager) {
        return ClassifierFolder.load(dir, manager);
    }

    /** What {@link #load} reads: the config, the head its id2label and problem_type describe, the parameters. */
    public record Loaded(ModelConfig config, ClassifierHead head, Map<String, NDArray> parameters) {
    }

    public ModelConfig config() {
        return config;
    }

    public ClassifierHead head() {
        return head;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /**
     * Every tensor of the layout, in layout order: what the optimizer trains, less the layout's
     * {@link ParameterLayout#frozen} (DistilBERT's sinusoidal position table, when configured).
     */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * @param inputIds [B,T] int64, right-padded
     * @param attentionMask [B,T], 1 for real tokens and 0 for padding
     * @param tokenTypeIds [B,T] int64 (BERT's sentence pairs), or null for all type 0; DistilBERT
     *     has no token types and ignores them, as its tokenizer does not produce them
     * @param training dropout on (fine-tuning) or off (evaluation)
     * @return logits [B, numLabels] float32
     */
    public NDArray logits(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds, boolean training) {
        HeadNames n = HeadNames.of(config.family());
        Map<String, NDArray> p = parameters;
        List<NDArray> hidden = config.family() == ModelFamily.DISTILBERT
                ? DistilBertModel.encode(config, p, inputIds, attentionMask, training)
                : BertModel.encode(config, bertNames(config.family()), p, inputIds, attentionMask, tokenTypeIds, training);
        NDArray first = hidden.get(hidden.size() - 1).get(":, 0, :");                              // [B,H]
        double dropout = classifierDropout();
        NDArray x = switch (config.family()) {
            // BertPooler's tanh(dense) is part of the base model; the classifier's dropout follows it.
            case BERT -> Layers.dropout(Layers.linear(p, n.dense(), first).tanh(), dropout, training);
            // DistilBERT's pre_classifier is followed by ReLU whatever the encoder's activation.
            case DISTILBERT -> Layers.dropout(Layers.activation("relu", Layers.linear(p, n.dense(), first)),
                    dropout, training);
            // RobertaClassificationHead drops out both before and after its dense + tanh.
            case ROBERTA -> Layers.dropout(Layers.linear(p, n.dense(), Layers.dropout(first, dropout, training))
                    .tanh(), dropout, training);
        };
        return Layers.linear(p, n.output(), x);                                                     // [B,labels]
    }

    /**
     * The head's dropout rate as transformers reads it: BERT and RoBERTa use classifier_dropout
     * when set, else hidden_dropout_prob; DistilBERT uses seq_classif_dropout (default 0.2).
     */
    double classifierDropout() {
        if (config.family() == ModelFamily.DISTILBERT) {
            return config.source().path("seq_classif_dropout").asDouble(0.2);
        }
        JsonNode set = config.source().path("classifier_dropout");
        return set.isNumber() ? set.asDouble() : config.hiddenDropout();
    }

    /** CrossEntropyLoss's default ignore_index: rows with this label add nothing to the loss. */
    public static final long IGNORE_INDEX = -100;

    /**
     * transformers' loss for the head: the mean cross-entropy of logits [B,labels] against int64
     * labels [B] in 0..labels-1 (rows labelled {@link #IGNORE_INDEX} left out, as CrossEntropyLoss
     * does), or for regression the mean squared error of logits.squeeze() against float labels [B].
     */
    public static NDArray loss(NDArray logits, NDArray labels, ClassifierHead head) {
        if (head.regression()) {
            NDArray target = labels.getDataType() == DataType.FLOAT32 ? labels : labels.toType(DataType.FLOAT32, false);
            NDArray d = logits.reshape(-1).sub(target.reshape(-1));                                 // [B]
            return d.mul(d).mean();
        }
        NDArray ids = labels.toType(DataType.INT64, false).reshape(-1, 1);                          // [B,1]
        // torch refuses a label out of range; a one-hot row of zeros would silently drop it.
        for (long label : ids.toLongArray()) {
            if ((label < 0 || label >= head.numLabels()) && label != IGNORE_INDEX) {
                throw new IllegalArgumentException("label " + label + " is not in 0.." + (head.numLabels() - 1));
            }
        }
        // One-hot rows made by torch ops (the engine has no 4-argument oneHot), so autograd keeps
        // nothing Java-backed (GraphScalars says why that matters); an ignored label's row is all 0.
        NDArray classes = logits.getManager().arange(0, head.numLabels()).toType(DataType.INT64, false)
                .reshape(1, head.numLabels());                                                      // [1,labels]
        NDArray onehot = ids.eq(classes).toType(DataType.FLOAT32, false);                           // [B,labels]
        NDArray counted = ids.neq(IGNORE_INDEX).toType(DataType.FLOAT32, false).sum();              // []
        return logits.logSoftmax(-1).mul(onehot).sum().neg().div(counted);
    }
}
