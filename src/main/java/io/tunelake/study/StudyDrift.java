package io.tunelake.study;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed between the settings a study last ran with and the ones it runs with now, in the
 * fields that decide what a trial's score means (data, pipeline, space, evaluation). Each front
 * end renders its settings as ordered {@code field → value} text; budgets and search settings
 * are left out of that map, so they may change freely.
 */
public final class StudyDrift {
  private static final String NONE = "(none)";

  private StudyDrift() {}

  /** The changed fields as {@code field: old → new}, in field order; empty when nothing that matters changed. */
  public static List<String> changes(Map<String, String> before, Map<String, String> now) {
    Set<String> keys = new LinkedHashSet<>(before.keySet());
    keys.addAll(now.keySet());
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      String x = before.getOrDefault(k, NONE);
      String y = now.getOrDefault(k, NONE);
      if (!x.equals(y)) {
        out.add(k + ": " + x + " → " + y);
      }
    }
    return out;
  }

  /**
   * The refusal for a study whose settings changed: each change named, and the ways out in the
   * front end's words ({@code howToContinue}: "spec, re-run with --continue").
   */
  public static StudyException refused(String study, List<String> changes, String howToContinue,
      String howToRename) {
    return new StudyException(StudyException.Kind.REFUSED, "study '" + study + "' was run before with a different "
        + "search space, data, pipeline or metric, so its trials would not be comparable with new ones. Changed: "
        + String.join("; ", changes) + ". To keep the trials and go on with the new " + howToContinue
        + "; to start a separate study, " + howToRename + ".");
  }
}
