package io.distiltrain.run;

import io.distiltrain.FormatVersion;

/**
 * What a {@code step-N} checkpoint folder holds (docs/checkpoint-format.md), written by
 * {@link CheckpointWriter} and read by {@link CheckpointReader}; the checkpoint store adds
 * {@code CHECKSUMS.json} and publishes the folder atomically.
 *
 * <ul>
 *   <li>{@code config.json}, {@code model.safetensors}, tokenizer files: the student as a Hugging
 *       Face folder;</li>
 *   <li>{@code optimizer.safetensors}: AdamW's moments ({@code exp_avg/NAME}, {@code exp_avg_sq/NAME}),
 *       metadata {@code step} and {@code format_version};</li>
 *   <li>{@code state.json}: {@code format_version}, the loop's counters ({@code state}), the
 *       objective's own state ({@code objective}) and, for runs that sample languages only, the
 *       language draws at the start of the cursor's epoch ({@code languages}; optional, so the
 *       version stays 2);</li>
 *   <li>{@code config.yaml}: the resolved run config, to refuse a resume that would change the result;</li>
 *   <li>{@code card.json}: what the model card says, for {@code export}.</li>
 * </ul>
 *
 * <p>Version 1 (before the format was named) had no version in {@code optimizer.safetensors} and no
 * {@code objective} in {@code state.json}; it is still read.
 */
final class CheckpointFormat {
    static final FormatVersion VERSION = new FormatVersion("checkpoint", 1, 2);

    static final String OPTIMIZER = "optimizer.safetensors";
    static final String STATE = "state.json";
    static final String CONFIG = "config.yaml";
    static final String CARD = "card.json";

    /** optimizer.safetensors metadata keys. */
    static final String STEP_KEY = "step";
    static final String VERSION_KEY = "format_version";

    private CheckpointFormat() {
    }
}
