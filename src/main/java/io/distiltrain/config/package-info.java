/**
 * Run configuration: what the user asked for, validated before anything heavy starts.
 *
 * <p>{@link io.distiltrain.config.ConfigLoader} reads a YAML file and {@code --set} overrides into a
 * {@link io.distiltrain.config.TrainConfig}: one immutable record per YAML section, each checking
 * its own ranges, with cross-section contradictions checked by TrainConfig. {@code DeviceSpec}
 * parses device lists. docs/configuration.md documents every key.
 *
 * <p>Must not touch models, tensors or files beyond reading the config itself: paths are resolved
 * but not looked up, so a config validates before its teacher or dataset exists.
 */
package io.distiltrain.config;
