package io.tunelake.spec;

import io.tunelake.optimize.OptionException;
import io.tunelake.optimize.Optimizers;
import java.util.Map;

/**
 * Checks {@code search.options} against the options the chosen algorithm declares
 * ({@link Optimizers#options}), before Spark starts: an unknown key is rejected with the nearest
 * declared name, a value of the wrong type or out of range with what the option expects.
 */
final class SearchOptions {
  private SearchOptions() {}

  /** Throws a spec error naming {@code search.options.<key>} when an option does not fit. */
  static void check(String algorithm, Map<String, Object> options) {
    try {
      Optimizers.checkOptions(algorithm, options);
    } catch (OptionException e) {
      String prefix = "field '" + e.field() + "': ";
      String reason = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
      throw new SpecException(e.field(), reason + "; see the options of '" + algorithm + "' in docs/optimizers.md");
    }
  }
}
