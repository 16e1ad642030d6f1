/**
 * The safetensors format, at file level and at model-folder level: reading ({@link
 * io.distiltrain.safetensors.SafetensorsFile}, {@link io.distiltrain.safetensors.SafetensorsFolder})
 * and writing ({@link io.distiltrain.safetensors.SafetensorsWriter}).
 *
 * <p>A file is an 8-byte little-endian header length N, N bytes of UTF-8 JSON describing each tensor
 * (dtype, shape, byte range relative to the end of the header) plus an optional string-to-string
 * {@code __metadata__}, then the raw little-endian, row-major tensor bytes. A model folder holds
 * {@code model.safetensors}, or shards listed in {@code model.safetensors.index.json}, as Hugging
 * Face transformers reads and writes them.
 *
 * <p>What this package owns: parsing and validating headers, handing out tensor bytes (memory-mapped
 * one tensor at a time, so files over 2 GiB work and nothing is read that is not asked for),
 * converting F16/BF16/F64 to float and the integer types to long, and writing files and sharded
 * folders atomically. Every problem with a file the user supplied surfaces as one line of
 * {@link io.distiltrain.UserError} naming the file, the problem and the fix.
 *
 * <p>What it must not touch: no DJL or NDArray types and no model semantics (tensor names, tying,
 * which tensors a model needs). It is plain Java plus Jackson so that the model, checkpoint and
 * export packages can all build on it without depending on one another.
 */
package io.distiltrain.safetensors;
