/**
 * The command line: picocli commands {@code tune}, {@code validate}, {@code trials},
 * {@code best}, {@code report} and {@code datagen}, the {@code main} that {@code spark-submit}
 * and the launcher script call, the session set-up and the exit codes.
 */
package io.tunelake.cli;
