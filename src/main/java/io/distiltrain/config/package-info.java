/**
 * Run configuration: what the user asked for, validated before anything heavy starts.
 *
 * <p>Owns parsing and checking of options and YAML into immutable records (devices so far).
 * Must not touch models, tensors or files beyond reading the config itself.
 */
package io.distiltrain.config;
