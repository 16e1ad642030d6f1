/**
 * The command line: one picocli command per job, each a thin layer that parses options, calls
 * the packages that do the work, and prints results. User errors end here as one line on stderr
 * and exit code 2.
 */
package io.distiltrain.cli;
