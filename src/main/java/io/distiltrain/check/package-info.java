/**
 * {@code check PART}: self-checks for a machine the project has not run on (a first GPU), each
 * part in its own process with one JSON object of figures and an exit code (0 passed, 1 failed,
 * 2 bad usage): {@code EnginePart} (DJL, libtorch, GPUs), {@code EncodePart} (the same random
 * BERT on the CPU and on the device, fp32 and the fp16 teacher), {@code DistillPart} (timed
 * distillation steps), {@code ParallelPart} (n devices against one accumulating),
 * {@code ResumePart} (stop and resume against one run), {@code MemoryPart} (flat arrays and
 * memory over hundreds of steps). {@code Inputs} makes the random tokenizer, teacher and prepared
 * dataset they train on in a temp folder; {@code Runs} starts runs as {@code --config} does and
 * reads back their metrics and checkpoints.
 *
 * <p>Owns the checks' criteria and tolerances and their JSON. Must not touch how anything is
 * computed: it drives the public entry points of {@code run}, {@code model}, {@code distill} and
 * {@code data}, and changes no model, loss, loop or config code to make a check pass.
 */
package io.distiltrain.check;
