/**
 * Teacher against student, for a person to read: the masked-LM figures on the same masks
 * ({@code distill.TeacherStudentComparison}), sizes, and inference speed on the chosen device
 * ({@link InferenceSpeed}), as a text table, JSON and a PNG ({@link ComparisonReport}).
 *
 * <p>Owns the {@code compare} command's measurements and their presentation. It must not train,
 * nor change a model: it only runs forward passes.
 */
package io.distiltrain.compare;
