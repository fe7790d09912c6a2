package io.tunelake.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One stage of a spec's pipeline as written: the MLlib class ({@code stage}, a short snake_case
 * name or a full class name, resolved against an allow-list by the Spark side), the stage's
 * name in the study ({@code name}, which addresses its params as {@code name.param}) and the
 * params it is given (scalars, or lists for array params such as {@code inputCols}).
 */
public record StageSpec(String stage, String name, Map<String, Object> params) {

  public StageSpec {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(name, "name");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** A stage with no params, named by its short name. */
  public static StageSpec of(String stage) {
    return new StageSpec(stage, shortName(stage), Map.of());
  }

  /**
   * The short name of {@code stage}: itself when it is one, else the snake_case of the class's
   * simple name ({@code org.apache.spark.ml.feature.PolynomialExpansion} → {@code polynomial_expansion}).
   */
  public static String shortName(String stage) {
    int dot = stage.lastIndexOf('.');
    return dot < 0 ? stage : snakeCase(stage.substring(dot + 1));
  }

  /** {@code SQLTransformer} → {@code sql_transformer}, {@code HashingTF} → {@code hashing_tf}, {@code PCA} → {@code pca}. */
  public static String snakeCase(String simpleName) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < simpleName.length(); i++) {
      char c = simpleName.charAt(i);
      boolean upper = Character.isUpperCase(c);
      if (upper && i > 0) {
        char prev = simpleName.charAt(i - 1);
        boolean nextLower = i + 1 < simpleName.length() && Character.isLowerCase(simpleName.charAt(i + 1));
        if (Character.isLowerCase(prev) || (Character.isUpperCase(prev) && nextLower)) {
          sb.append('_');
        }
      }
      sb.append(c);
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }
}
