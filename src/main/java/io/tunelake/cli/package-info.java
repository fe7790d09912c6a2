/**
 * The command line: picocli commands {@code tune}, {@code validate}, {@code trials} and
 * {@code best}, the {@code main} that {@code spark-submit} and the launcher script call, the
 * session set-up and the exit codes.
 */
package io.tunelake.cli;
