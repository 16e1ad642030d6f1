/**
 * Fine-tuning a model on a downstream task (GLUE, XNLI, a labelled JSONL/CSV file) and judging
 * teacher against student on such tasks: the task's examples encoded as model inputs
 * ({@link EncodedExamples}), shuffled into batches the training loop reads ({@link ExampleBatches}),
 * the classification objective ({@link ClassificationObjective}), predictions and scores
 * ({@link Predictions}), and a whole fine-tuning run ({@link FineTuning}) and the retention table
 * ({@link Retention}).
 *
 * <p>Owns: the supervised objective and its run. It reuses, and must not copy, the training loop
 * ({@code train}), the model heads ({@code model.SequenceClassificationModel}) and the task files
 * and metrics ({@code tasks}); it knows nothing of distillation or prepared datasets.
 */
package io.distiltrain.finetune;
