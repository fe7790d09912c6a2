package io.tunelake.spec;

import io.tunelake.study.StudyDrift;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A spec's sections that decide what a trial's score means ({@code data}, {@code featurize},
 * {@code estimator}, {@code space} and {@code evaluation}) as {@code field → value} text for
 * {@link StudyDrift}. Budget and search settings ({@code search.*}) and the store are left out,
 * so they may change freely. Fields hold their effective values (defaults filled in), so
 * writing out a default is not a change.
 */
public final class SpecFields {
  private static final String NONE = "(none)";

  private SpecFields() {}

  /** The changed fields from {@code before} to {@code now}, as {@link StudyDrift#changes} names them. */
  public static List<String> changes(JobSpec before, JobSpec now) {
    return StudyDrift.changes(of(before), of(now));
  }

  /**
   * The changes from the stored spec text to {@code now}; a stored spec that no longer parses
   * is reported as one change, so the user decides.
   */
  public static List<String> changes(String storedYaml, JobSpec now) {
    JobSpec before;
    try {
      before = JobSpecParser.parse(storedYaml, List.of());
    } catch (SpecException e) {
      return List.of("the stored spec no longer reads as a valid spec (" + e.getMessage() + ")");
    }
    return changes(before, now);
  }

  /** The fields that decide what a score means, in spec order. */
  public static Map<String, String> of(JobSpec s) {
    Map<String, String> f = new LinkedHashMap<>();
    JobSpec.Data d = s.data();
    f.put("data.path", text(d.path()));
    f.put("data.table", text(d.table()));
    f.put("data.format", text(d.format()));
    d.options().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> f.put("data.options." + e.getKey(), e.getValue()));
    f.put("data.label", text(d.label()));
    f.put("data.features", d.features().isEmpty() ? "(all other columns)" : d.features().toString());
    f.put("data.test_fraction", number(d.testFraction()));
    f.put("data.version", d.version() == null ? "(latest)" : String.valueOf(d.version()));
    f.put("featurize.encoding", text(s.featurize().encoding()));
    f.put("featurize.scaling", text(s.featurize().scaling()));
    for (int i = 0; i < s.pipeline().size(); i++) {
      f.put("pipeline[" + i + "]", s.pipeline().get(i).toString());
    }
    f.put("estimator", s.estimators().size() == 1 && s.estimators().get(0).params().isEmpty()
        && s.estimators().get(0).name().equals(s.estimator()) ? s.estimator() : s.estimators().toString());
    for (ParamSpec p : s.space()) {
      f.put("space." + p.name(), render(p));
    }
    JobSpec.Evaluation e = s.evaluation();
    f.put("evaluation.metric", e.metric() == null ? "(the task's default)" : e.metric());
    f.put("evaluation.strategy", e.strategy() == null ? "(the task's default)" : e.strategy());
    f.put("evaluation.folds", String.valueOf(e.folds()));
    f.put("evaluation.group_column", text(e.groupColumn()));
    f.put("evaluation.order_column", text(e.orderColumn()));
    f.put("evaluation.validation_fraction", number(e.validationFraction()));
    if (e.evaluator() != null) {
      f.put("evaluation.evaluator", e.evaluator().toString());
    }
    if (!e.also().isEmpty()) {
      f.put("evaluation.also", e.also().toString());
    }
    return f;
  }

  /** A parameter as it reads in a spec: {@code {low: 0.001, high: 1, log: true}}, {@code [a, b]} or a value. */
  static String render(ParamSpec p) {
    String body;
    if (p.kind() == ParamSpec.Kind.RANGE) {
      StringBuilder sb = new StringBuilder("{low: ").append(number(p.low())).append(", high: ").append(number(p.high()));
      if (p.log()) {
        sb.append(", log: true");
      }
      if (p.step() > 0) {
        sb.append(", step: ").append(number(p.step()));
      }
      sb.append(", type: ").append(p.integral() ? "int" : "float");
      body = sb.append('}').toString();
    } else if (p.kind() == ParamSpec.Kind.CHOICE) {
      body = p.values().stream().map(SpecFields::value).collect(Collectors.joining(", ", "[", "]"));
    } else {
      body = value(p.values().get(0));
    }
    if (p.when() != null) {
      body += " when {" + p.when().parent() + ": " + p.when().values().stream().map(SpecFields::value)
          .collect(Collectors.joining(", ", "[", "]")) + "}";
    }
    return body;
  }

  private static String value(Object v) {
    return v instanceof Double d ? number(d) : String.valueOf(v);
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static String text(String v) {
    return Objects.requireNonNullElse(v, NONE);
  }
}
