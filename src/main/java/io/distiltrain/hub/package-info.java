/**
 * The Hugging Face Hub: repository references ({@code org/name@revision}, {@code datasets/org/name}),
 * the Hub's cache layout shared with the Python tools ({@code models--org--name/{blobs,snapshots,refs}}),
 * and the HTTP client that fills it (resolve endpoint, tree listing, resumed and verified downloads).
 *
 * <p>Owns: turning a reference into a local folder of verified files. It knows nothing of models,
 * tokenizers or corpora beyond which file names a model folder needs ({@link ModelFiles}); callers
 * get plain paths. It must not touch the engine, training or prepared datasets. A token read from
 * the environment stays inside {@link HubSettings} and the request headers: never in a message,
 * a log line or {@code toString()}.
 */
package io.distiltrain.hub;
