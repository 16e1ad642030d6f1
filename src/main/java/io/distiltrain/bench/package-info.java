/**
 * Benchmarks of corpus preparation stage by stage ({@code PrepareBenchmark}: decompression,
 * parsing and cleaning, tokenization, writing), of the tokenizer alone ({@code TokenizeBenchmark},
 * the Java side of data-scripts/bench-tokenizers.py) and of the training reader
 * ({@code ReaderBenchmark}). docs/benchmarks.md records their figures and commands.
 *
 * <p>Measures through the other packages' public building blocks; changes nothing they do, and
 * parses no command lines (cli's {@code BenchCommand} does).
 */
package io.distiltrain.bench;
