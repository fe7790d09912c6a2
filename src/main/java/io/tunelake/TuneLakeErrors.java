package io.tunelake;

import io.tunelake.spec.Expected;
import java.util.Collection;

/**
 * Every message TuneLake gives a user about a bad setting, built in one place so the Java API
 * and the job spec say the same thing in the same words: the setting (an API setter or a spec
 * field), the value found, what was expected and how to fix it. The API throws these as
 * {@link IllegalArgumentException}s before any Spark job runs; the command line prints the same
 * text and exits with code 2.
 *
 * <pre>{@code
 * try {
 *   new TuneLakeValidator().setTrials(0);
 * } catch (IllegalArgumentException e) {
 *   // "setting 'trials': expected a positive number of trials, but got 0; fix: setTrials(20)"
 *   System.err.println(e.getMessage());
 * }
 * }</pre>
 */
public final class TuneLakeErrors {
  /** What {@code trials} expects. */
  public static final String TRIALS = Expected.TRIALS;
  /** What {@code batchSize} expects. */
  public static final String BATCH_SIZE = Expected.BATCH_SIZE;
  /** What {@code parallelism} expects. */
  public static final String PARALLELISM = Expected.PARALLELISM;
  /** What {@code numFolds} expects. */
  public static final String FOLDS = Expected.FOLDS;
  /** What {@code pruningConfidence} expects. */
  public static final String PRUNING_CONFIDENCE = Expected.PRUNING_CONFIDENCE;
  /** What {@code schedulerEta} expects. */
  public static final String SCHEDULER_ETA = Expected.SCHEDULER_ETA;
  /** What {@code patience} expects. */
  public static final String PATIENCE = Expected.PATIENCE;
  /** What a study name is made of. */
  public static final String STUDY_NAME = "a name of letters, digits, '_', '-' or '.' (at most 100 characters)";

  private TuneLakeErrors() {}

  /** {@code setting 'S': expected E, but got V; fix: F}. */
  public static IllegalArgumentException invalid(String setting, String expected, Object actual, String fix) {
    return new IllegalArgumentException(prefix(setting) + "expected " + expected + ", but got " + quote(actual)
        + fix(fix));
  }

  /** A setting that must be given and was not. */
  public static IllegalArgumentException missing(String setting, String expected, String fix) {
    return new IllegalArgumentException(prefix(setting) + "expected " + expected + ", but got nothing" + fix(fix));
  }

  /** A name outside the known ones, the known ones listed. */
  public static IllegalArgumentException unknown(String setting, String what, Object actual, Collection<String> known,
      String fix) {
    return new IllegalArgumentException(prefix(setting) + "unknown " + what + " " + quote(actual)
        + "; expected one of " + known + fix(fix));
  }

  /** Two settings that are each fine but cannot be given together. */
  public static IllegalArgumentException conflict(String setting, String other, String why, String fix) {
    return new IllegalArgumentException("settings '" + setting + "' and '" + other + "' were both given, but " + why
        + fix(fix));
  }

  /** A setting that does not fit what another setting or the data says. */
  public static IllegalArgumentException mismatch(String setting, Object actual, String problem, String fix) {
    return new IllegalArgumentException(prefix(setting) + quote(actual) + " " + problem + fix(fix));
  }

  private static String prefix(String setting) {
    return "setting '" + setting + "': ";
  }

  private static String fix(String fix) {
    return fix == null || fix.isEmpty() ? "" : "; fix: " + fix;
  }

  static String quote(Object v) {
    if (v == null) {
      return "nothing";
    }
    return v instanceof Number || v instanceof Boolean ? String.valueOf(v) : "'" + v + "'";
  }
}
